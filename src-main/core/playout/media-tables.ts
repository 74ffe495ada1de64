import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { SegmentTable } from '../../../src-shared/playout';
import type { EventBus } from '../events/event-bus';

export type Variant = 'main' | 'proxy';
export const VARIANTS: readonly Variant[] = ['main', 'proxy'];

/** A rendition's segments with where each file lives and how big it must be. */
export type RenditionFiles = {
  table: SegmentTable;
  files: readonly { path: string; bytes: number }[];
};

/**
 * Segment tables of ready assets, read once and kept until the asset changes: a playlist
 * request must not run a query per segment.
 */
export function createMediaTables(db: Database, mediaDir: string, bus: EventBus) {
  const rendition = db.prepare<[number, string], { id: number; dir: string }>(
    `SELECT r.id, r.dir FROM renditions r JOIN assets a ON a.id = r.asset_id
     WHERE r.asset_id = ? AND r.kind = ? AND a.state = 'ready'`,
  );
  const segments = db.prepare<
    [number],
    { seq: number; file: string; start_ms: number; duration_ms: number; bytes: number }
  >(
    'SELECT seq, file, start_ms, duration_ms, bytes FROM segments WHERE rendition_id = ? ORDER BY seq',
  );
  const cache = new Map<string, RenditionFiles | null>();
  const forget = (assetId: number) => {
    cache.delete(`${assetId}:main`);
    cache.delete(`${assetId}:proxy`);
  };
  const offChanged = bus.on('assetChanged', (asset) => forget(asset.id));
  const offRemoved = bus.on('assetsRemoved', ({ ids }) => ids.forEach(forget));

  function get(assetId: number, variant: Variant): RenditionFiles | undefined {
    const key = `${assetId}:${variant}`;
    if (!cache.has(key)) {
      const r = rendition.get(assetId, variant);
      if (!r) cache.set(key, null);
      else {
        const rows = segments.all(r.id);
        cache.set(key, {
          table: rows.map((s) => ({ seq: s.seq, startMs: s.start_ms, durationMs: s.duration_ms })),
          files: rows.map((s) => ({ path: join(mediaDir, r.dir, s.file), bytes: s.bytes })),
        });
      }
    }
    return cache.get(key) ?? undefined;
  }

  return {
    get,
    /** The main table drives the arithmetic; the proxy is cut identically. */
    table: (assetId: number) => get(assetId, 'main')?.table,
    close() {
      offChanged();
      offRemoved();
    },
  };
}
export type MediaTables = ReturnType<typeof createMediaTables>;
