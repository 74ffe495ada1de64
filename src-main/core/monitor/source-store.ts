// Outside live streams as configured by the station (the detector state is added live).
import type { Database } from 'better-sqlite3';
import type { ProbeOutcome, StreamProbe } from '../../../src-shared/contract';

export type SourceRow = {
  id: number;
  name: string;
  url: string;
  enabled: boolean;
  probe: StreamProbe | null;
  probeError: string | null;
  probedAt: number | null;
  createdAt: number;
};

type Raw = {
  id: number;
  name: string;
  url: string;
  enabled: number;
  probe_json: string | null;
  probe_error: string | null;
  probed_at: number | null;
  created_at: number;
};

const toRow = (raw: Raw): SourceRow => ({
  id: raw.id,
  name: raw.name,
  url: raw.url,
  enabled: raw.enabled === 1,
  probe: raw.probe_json ? (JSON.parse(raw.probe_json) as StreamProbe) : null,
  probeError: raw.probe_error,
  probedAt: raw.probed_at,
  createdAt: raw.created_at,
});

export type SourceStore = {
  list(): SourceRow[];
  get(id: number): SourceRow | undefined;
  insert(name: string, url: string): SourceRow;
  update(
    id: number,
    patch: { name?: string; url?: string; enabled?: boolean },
  ): SourceRow | undefined;
  saveProbe(id: number, outcome: ProbeOutcome): void;
  remove(id: number): boolean;
};

export function createSourceStore(db: Database, now: () => number): SourceStore {
  const list = db.prepare<[], Raw>(
    'SELECT * FROM monitor_sources ORDER BY name COLLATE NOCASE, id',
  );
  const byId = db.prepare<[number], Raw>('SELECT * FROM monitor_sources WHERE id = ?');
  const insert = db.prepare<[string, string, number, number], { id: number }>(
    `INSERT INTO monitor_sources (name, url, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
  );
  const update = db.prepare<[string, string, number, number, number]>(
    'UPDATE monitor_sources SET name = ?, url = ?, enabled = ?, updated_at = ? WHERE id = ?',
  );
  const probe = db.prepare<[string | null, string | null, number, number]>(
    'UPDATE monitor_sources SET probe_json = ?, probe_error = ?, probed_at = ? WHERE id = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM monitor_sources WHERE id = ?');
  const get = (id: number) => {
    const raw = byId.get(id);
    return raw ? toRow(raw) : undefined;
  };
  return {
    list: () => list.all().map(toRow),
    get,
    insert(name, url) {
      const at = now();
      const { id } = insert.get(name, url, at, at)!;
      return get(id)!;
    },
    update(id, patch) {
      const row = get(id);
      if (!row) return undefined;
      update.run(
        patch.name ?? row.name,
        patch.url ?? row.url,
        (patch.enabled ?? row.enabled) ? 1 : 0,
        now(),
        id,
      );
      return get(id);
    },
    saveProbe(id, outcome) {
      if (outcome.ok) probe.run(JSON.stringify(outcome.probe), null, now(), id);
      else probe.run(null, outcome.error, now(), id);
    },
    remove: (id) => remove.run(id).changes > 0,
  };
}
