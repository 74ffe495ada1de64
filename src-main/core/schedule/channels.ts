import type { Database } from 'better-sqlite3';
import type { Channel, ChannelCreate, ParsedRequest } from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';

type ChannelRow = {
  id: number;
  name: string;
  number: number;
  slug: string;
  logo_path: string | null;
  group_name: string | null;
  enabled: number;
  sort_order: number;
  filler_folder_id: number | null;
  slate_asset_id: number | null;
  version: number;
  schedule_version: number;
  created_at: number;
  updated_at: number;
};

const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  name: r.name,
  number: r.number,
  slug: r.slug,
  logoPath: r.logo_path,
  group: r.group_name,
  enabled: r.enabled === 1,
  sortOrder: r.sort_order,
  fillerFolderId: r.filler_folder_id,
  slateAssetId: r.slate_asset_id,
  version: r.version,
  scheduleVersion: r.schedule_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Channel CRUD with optimistic versions; every change re-sends the whole (short) list. */
export function createChannels(db: Database, bus: EventBus, now: () => number) {
  const all = db.prepare<[], ChannelRow>('SELECT * FROM channels ORDER BY sort_order, number');
  const byId = db.prepare<[number], ChannelRow>('SELECT * FROM channels WHERE id = ?');
  const clash = db.prepare<[number, string, number], { number: number; slug: string }>(
    'SELECT number, slug FROM channels WHERE (number = ? OR slug = ?) AND id != ? LIMIT 1',
  );
  const folderExists = db.prepare<[number], { id: number }>('SELECT id FROM folders WHERE id = ?');
  const assetExists = db.prepare<[number], { id: number }>('SELECT id FROM assets WHERE id = ?');
  const nextOrder = db.prepare<[], { n: number }>(
    'SELECT coalesce(max(sort_order), -1) + 1 AS n FROM channels',
  );
  const insert = db.prepare(
    `INSERT INTO channels (name, number, slug, logo_path, group_name, enabled, sort_order, filler_folder_id, slate_asset_id, created_at, updated_at)
     VALUES (@name, @number, @slug, @logoPath, @group, @enabled, @sortOrder, @fillerFolderId, @slateAssetId, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE channels SET name = @name, number = @number, slug = @slug, logo_path = @logoPath, group_name = @group,
       enabled = @enabled, filler_folder_id = @fillerFolderId, slate_asset_id = @slateAssetId,
       version = version + 1, updated_at = @now WHERE id = @id`,
  );
  const setOrder = db.prepare<[number, number, number]>(
    'UPDATE channels SET sort_order = ?, version = version + 1, updated_at = ? WHERE id = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM channels WHERE id = ?');

  const list = () => all.all().map(toChannel);
  const announce = () => bus.emit('channelsChanged', { channels: list() });
  const load = (id: number, version: number): ChannelRow => {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', `Channel ${id} does not exist.`);
    if (row.version !== version) {
      throw new AppError(
        'conflict',
        `Channel ${row.number} “${row.name}” was changed by someone else (now version ${row.version}, you had ${version}). Reload and try again.`,
      );
    }
    return row;
  };
  const checkFields = (
    id: number,
    c: Omit<
      Channel,
      'id' | 'version' | 'scheduleVersion' | 'createdAt' | 'updatedAt' | 'sortOrder'
    >,
  ) => {
    const taken = clash.get(c.number, c.slug, id);
    if (taken) {
      throw new AppError(
        'conflict',
        taken.number === c.number
          ? `Channel number ${c.number} is taken.`
          : `The slug “${c.slug}” is taken.`,
      );
    }
    if (c.fillerFolderId !== null && !folderExists.get(c.fillerFolderId)) {
      throw new AppError('invalid_request', `Folder ${c.fillerFolderId} does not exist.`);
    }
    if (c.slateAssetId !== null && !assetExists.get(c.slateAssetId)) {
      throw new AppError('invalid_request', `Asset ${c.slateAssetId} does not exist.`);
    }
  };
  const sqlParams = (
    c: Omit<
      Channel,
      'id' | 'version' | 'scheduleVersion' | 'createdAt' | 'updatedAt' | 'sortOrder'
    >,
  ) => ({
    ...c,
    enabled: c.enabled ? 1 : 0,
    now: now(),
  });

  return {
    list,
    create(input: ChannelCreate): Channel {
      const c = {
        name: input.name,
        number: input.number,
        slug: input.slug,
        logoPath: input.logoPath ?? null,
        group: input.group ?? null,
        enabled: input.enabled ?? true,
        fillerFolderId: input.fillerFolderId ?? null,
        slateAssetId: input.slateAssetId ?? null,
      };
      const id = db.transaction(() => {
        checkFields(0, c);
        return Number(
          insert.run({ ...sqlParams(c), sortOrder: nextOrder.get()?.n ?? 0 }).lastInsertRowid,
        );
      })();
      announce();
      return toChannel(byId.get(id) as ChannelRow);
    },
    update(req: ParsedRequest<'channelUpdate'>): Channel {
      db.transaction(() => {
        const current = toChannel(load(req.id, req.version));
        const next = { ...current, ...req.set };
        checkFields(req.id, next);
        update.run({ ...sqlParams(next), id: req.id });
      })();
      announce();
      return toChannel(byId.get(req.id) as ChannelRow);
    },
    reorder(req: ParsedRequest<'channelReorder'>): Channel[] {
      db.transaction(() => {
        const at = now();
        req.channels.forEach((ref, i) => {
          const row = load(ref.id, ref.version);
          if (row.sort_order !== i) setOrder.run(i, at, ref.id);
        });
      })();
      announce();
      return list();
    },
    remove(req: ParsedRequest<'channelDelete'>): { deleted: number } {
      db.transaction(() => {
        const row = load(req.id, req.version);
        if (row.enabled) {
          throw new AppError(
            'conflict',
            `Channel ${row.number} “${row.name}” is enabled: disable it before deleting it.`,
          );
        }
        remove.run(req.id);
      })();
      announce();
      return { deleted: req.id };
    },
  };
}
export type Channels = ReturnType<typeof createChannels>;
