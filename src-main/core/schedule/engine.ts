import type { Database } from 'better-sqlite3';
import type {
  BatchOp,
  ItemSnapshot,
  ScheduleChange,
  ScheduleItem,
} from '../../../src-shared/contract';
import type { Clock } from '../clock/clock';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { createItemReader, toItem, toSnapshot, type ItemRow } from './item-rows';
import type { ScheduleSettingsStore } from './schedule-settings';

/**
 * What a schedule operation asks the engine to do. `version` is what the caller saw; internal
 * follow-ups (a ripple shifting items nobody named) leave it out and are still lock-checked.
 */
export type EngineOp =
  | { op: 'create'; id?: number; key?: string; parentKey?: string; item: ItemSnapshot }
  | { op: 'update'; id: number; version?: number; set: Partial<Omit<ItemSnapshot, 'kind'>> }
  | { op: 'delete'; id: number; version?: number }
  | { op: 'check'; id: number; version: number };

export type PlanContext = { now: number; lockEnd: number };

const iso = (ms: number) => new Date(ms).toISOString();
export const describeItem = (row: Pick<ItemRow, 'id' | 'title' | 'asset_name' | 'kind'>) =>
  `item ${row.id} “${row.title ?? row.asset_name ?? (row.kind === 'break' ? 'Break' : 'Untitled')}”`;

/**
 * Every schedule change goes through `commit`: one transaction that checks versions (stale →
 * `conflict`), the lock horizon (→ `forbidden`), media and break rules (→ `invalid_request`),
 * writes, re-derives inner breaks, refuses any overlap it created (→ `conflict` naming the
 * clashing item), and answers with the fresh items plus the inverse batch for undo. Events go
 * out after the transaction commits, one per channel.
 */
export function createEngine(deps: {
  db: Database;
  bus: EventBus;
  clock: Clock;
  settings: ScheduleSettingsStore;
}) {
  const { db, bus, clock, settings } = deps;
  const reader = createItemReader(db);
  const channelExists = db.prepare<[number], { id: number }>(
    'SELECT id FROM channels WHERE id = ?',
  );
  const assetDuration = db.prepare<[number], { duration_ms: number | null }>(
    'SELECT duration_ms FROM assets WHERE id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO schedule_items (id, channel_id, kind, asset_id, parent_item_id, offset_ms, starts_at, duration_ms, in_ms, title, category, created_at, updated_at)
     VALUES (@id, @channelId, @kind, @assetId, @parentItemId, @offsetMs, @startsAt, @durationMs, @inMs, @title, @category, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE schedule_items SET channel_id = @channelId, asset_id = @assetId, parent_item_id = @parentItemId,
       offset_ms = @offsetMs, starts_at = @startsAt, duration_ms = @durationMs, in_ms = @inMs,
       title = @title, category = @category, updated_at = @now WHERE id = @id`,
  );
  const remove = db.prepare<[number]>('DELETE FROM schedule_items WHERE id = ?');
  const setDerived = db.prepare<[number, number, number]>(
    'UPDATE schedule_items SET starts_at = ?, channel_id = ? WHERE id = ?',
  );
  const setBreaks = db.prepare<[number, number]>(
    'UPDATE schedule_items SET breaks_ms = ? WHERE id = ?',
  );
  const bumpVersion = db.prepare<[number, number]>(
    'UPDATE schedule_items SET version = version + 1, updated_at = ? WHERE id = ?',
  );
  const bumpChannel = db.prepare<[number], { schedule_version: number }>(
    'UPDATE channels SET schedule_version = schedule_version + 1 WHERE id = ? RETURNING schedule_version',
  );
  const startingWithin = db.prepare<[number, number, number, number], ItemRow>(
    `SELECT i.*, NULL AS asset_name, NULL AS asset_state, NULL AS asset_duration_ms FROM schedule_items i
     WHERE i.channel_id = ? AND i.parent_item_id IS NULL AND i.starts_at >= ? AND i.starts_at < ? AND i.id != ?
     ORDER BY i.starts_at LIMIT 1`,
  );

  function planContext(): PlanContext {
    const now = clock.now();
    return { now, lockEnd: now + settings.get().lockHorizonMs };
  }

  function commitInTransaction(ops: readonly EngineOp[], ctx: PlanContext) {
    const at = ctx.now;
    const horizonMin = Math.round((ctx.lockEnd - ctx.now) / 60_000);
    const before = new Map<number, ItemRow | null>();
    const touched = new Set<number>();
    const derived = new Set<number>();
    const parents = new Set<number>();
    const spansToCheck = new Set<number>();
    const removed = new Map<number, number>(); // id → channel
    const channels = new Set<number>();
    const keys = new Map<string, number>();

    const lockedMessage = (row: ItemRow, action: string) =>
      `${describeItem(row)} starts at ${iso(row.starts_at)}, inside the lock horizon (${horizonMin} min before air) or already aired: it cannot be ${action}.`;
    const remember = (row: ItemRow) => {
      if (!before.has(row.id)) before.set(row.id, row);
    };
    const load = (id: number, version: number | undefined): ItemRow => {
      const row = reader.byId(id);
      if (!row) {
        throw new AppError(
          'conflict',
          `Item ${id} no longer exists (someone deleted it). Reload the schedule.`,
        );
      }
      if (version !== undefined && row.version !== version) {
        throw new AppError(
          'conflict',
          `${describeItem(row)} was changed by someone else (now version ${row.version}, you had ${version}). Reload it with scheduleGet and try again.`,
        );
      }
      return row;
    };
    const airStart = (row: ItemRow): number => {
      if (row.parent_item_id === null) return row.starts_at;
      return reader.byId(row.parent_item_id)?.starts_at ?? row.starts_at;
    };
    const assertUnlocked = (row: ItemRow, action: string) => {
      if (airStart(row) < ctx.lockEnd) throw new AppError('forbidden', lockedMessage(row, action));
    };
    const checkMedia = (item: ItemSnapshot) => {
      if (item.kind !== 'asset' || item.assetId === null) return;
      const asset = assetDuration.get(item.assetId);
      if (!asset) throw new AppError('invalid_request', `Asset ${item.assetId} does not exist.`);
      if (asset.duration_ms !== null && item.inMs + item.durationMs > asset.duration_ms) {
        throw new AppError(
          'invalid_request',
          `In ${item.inMs} ms + duration ${item.durationMs} ms runs past the end of asset ${item.assetId} (${asset.duration_ms} ms).`,
        );
      }
    };
    /** A break inside a programme: the parent must be a top-level item on air later than the horizon. */
    const resolveParent = (item: ItemSnapshot): ItemRow | undefined => {
      if (item.parentItemId === null) return undefined;
      const parent = reader.byId(item.parentItemId);
      if (!parent || removed.has(parent.id)) {
        throw new AppError('conflict', `Programme ${item.parentItemId} no longer exists.`);
      }
      if (parent.parent_item_id !== null) {
        throw new AppError(
          'invalid_request',
          'A break goes inside a programme, not inside another break.',
        );
      }
      if (item.kind !== 'break')
        throw new AppError('invalid_request', 'Only a break can go inside a programme.');
      if (item.offsetMs === null)
        throw new AppError('invalid_request', 'A break inside a programme needs offsetMs.');
      if (parent.starts_at < ctx.lockEnd)
        throw new AppError('forbidden', lockedMessage(parent, 'changed'));
      return parent;
    };
    const placeTopLevel = (item: ItemSnapshot, label: string) => {
      if (item.startsAt < ctx.lockEnd) {
        throw new AppError(
          'forbidden',
          `${label} would start at ${iso(item.startsAt)}, inside the lock horizon (${horizonMin} min before air) or in the past.`,
        );
      }
    };
    const params = (id: number | null, item: ItemSnapshot) => ({ id, ...item, now: at });

    for (const op of ops) {
      if (op.op === 'check') {
        load(op.id, op.version);
      } else if (op.op === 'create') {
        let item = op.item;
        if (op.parentKey !== undefined)
          item = { ...item, parentItemId: keys.get(op.parentKey) ?? null };
        if (!channelExists.get(item.channelId)) {
          throw new AppError('not_found', `Channel ${item.channelId} does not exist.`);
        }
        if ((item.kind === 'asset') !== (item.assetId !== null)) {
          throw new AppError('invalid_request', 'An asset item needs assetId; a break has none.');
        }
        const parent = resolveParent(item);
        if (parent) item = { ...item, channelId: parent.channel_id, startsAt: parent.starts_at };
        else placeTopLevel({ ...item, offsetMs: null }, 'The new item');
        if (!parent) item = { ...item, offsetMs: null };
        checkMedia(item);
        if (op.id !== undefined && reader.byId(op.id)) {
          throw new AppError('conflict', `Item ${op.id} already exists; it cannot be recreated.`);
        }
        const id = Number(insert.run(params(op.id ?? null, item)).lastInsertRowid);
        before.set(id, null);
        if (op.key !== undefined) keys.set(op.key, id);
        channels.add(item.channelId);
        if (parent) parents.add(parent.id);
        else spansToCheck.add(id);
      } else if (op.op === 'update') {
        const row = load(op.id, op.version);
        remember(row);
        assertUnlocked(row, 'changed');
        let next: ItemSnapshot = { ...toSnapshot(row), ...op.set };
        const parent = resolveParent(next);
        if (parent) next = { ...next, channelId: parent.channel_id, startsAt: parent.starts_at };
        else {
          next = { ...next, offsetMs: null };
          placeTopLevel(next, describeItem(row));
        }
        if (!channelExists.get(next.channelId)) {
          throw new AppError('not_found', `Channel ${next.channelId} does not exist.`);
        }
        if ((next.kind === 'asset') !== (next.assetId !== null)) {
          throw new AppError('invalid_request', 'An asset item needs assetId; a break has none.');
        }
        if (
          next.assetId !== row.asset_id ||
          next.inMs !== row.in_ms ||
          next.durationMs !== row.duration_ms
        ) {
          checkMedia(next);
        }
        update.run(params(row.id, next));
        touched.add(row.id);
        channels.add(row.channel_id).add(next.channelId);
        if (row.parent_item_id !== null) parents.add(row.parent_item_id);
        if (parent) parents.add(parent.id);
        else {
          parents.add(row.id);
          spansToCheck.add(row.id);
        }
      } else {
        const row = load(op.id, op.version);
        remember(row);
        assertUnlocked(row, 'deleted');
        for (const child of reader.children(row.id)) {
          remember(child);
          removed.set(child.id, child.channel_id);
        }
        remove.run(row.id);
        removed.set(row.id, row.channel_id);
        channels.add(row.channel_id);
        if (row.parent_item_id !== null) parents.add(row.parent_item_id);
      }
    }

    // Inner breaks follow their programme: positions, channel and the programme's air span.
    for (const parentId of parents) {
      if (removed.has(parentId)) continue;
      const parent = reader.byId(parentId);
      if (!parent || parent.parent_item_id !== null) continue;
      let total = 0;
      for (const child of reader.children(parentId)) {
        const offset = child.offset_ms ?? 0;
        if (offset > parent.duration_ms) {
          throw new AppError(
            'invalid_request',
            `The break at ${offset} ms is past the end of ${describeItem(parent)} (${parent.duration_ms} ms of content).`,
          );
        }
        const start = parent.starts_at + offset + total;
        if (child.starts_at !== start || child.channel_id !== parent.channel_id) {
          setDerived.run(start, parent.channel_id, child.id);
          derived.add(child.id);
        }
        total += child.duration_ms;
      }
      if (total !== parent.breaks_ms) {
        setBreaks.run(total, parentId);
        derived.add(parentId);
        spansToCheck.add(parentId);
      }
    }

    for (const id of spansToCheck) {
      const row = reader.byId(id);
      if (!row || row.parent_item_id !== null) continue;
      const end = row.starts_at + row.duration_ms + row.breaks_ms;
      const prev = reader.runningInto(row.channel_id, row.starts_at);
      const clash = prev ?? startingWithin.get(row.channel_id, row.starts_at, end, row.id);
      if (clash) {
        const clashRow = reader.byId(clash.id) ?? clash;
        const clashEnd = clashRow.starts_at + clashRow.duration_ms + clashRow.breaks_ms;
        throw new AppError(
          'conflict',
          `${describeItem(row)} (${iso(row.starts_at)}–${iso(end)}) would overlap ${describeItem(clashRow)} (${iso(clashRow.starts_at)}–${iso(clashEnd)}) on channel ${row.channel_id}. Move it, or ask for ripple.`,
        );
      }
    }

    for (const id of touched) if (!removed.has(id)) bumpVersion.run(at, id);
    const scheduleVersions: Record<string, number> = {};
    for (const channelId of channels) {
      const bumped = bumpChannel.get(channelId);
      if (bumped) scheduleVersions[String(channelId)] = bumped.schedule_version;
    }

    const changedIds = new Set<number>([...touched, ...derived]);
    for (const [id, was] of before) if (was === null) changedIds.add(id);
    const changed: ScheduleItem[] = [];
    const after = new Map<number, ItemRow>();
    for (const id of changedIds) {
      if (removed.has(id)) continue;
      const row = reader.byId(id);
      if (!row) continue;
      after.set(id, row);
      changed.push(toItem(row));
    }
    changed.sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);

    const inverse = buildInverse(before, after);
    const result: ScheduleChange = {
      changed,
      removed: [...removed.keys()],
      inverse,
      scheduleVersions,
    };
    const events = [...channels].map((channelId) => ({
      channelId,
      scheduleVersion: scheduleVersions[String(channelId)] ?? 0,
      changed: changed.filter((i) => i.channelId === channelId),
      removed: [...removed].filter(([, c]) => c === channelId).map(([id]) => id),
    }));
    return { result, events };
  }

  /**
   * Plans and commits in one transaction, so what a plan read (neighbours, versions) is what
   * the commit checks against.
   */
  function run<T extends object>(
    plan: (ctx: PlanContext) => { ops: EngineOp[]; extra?: T },
  ): ScheduleChange & Partial<T> {
    const transaction = db.transaction(() => {
      const ctx = planContext();
      const { ops, extra } = plan(ctx);
      const { result, events } = commitInTransaction(ops, ctx);
      return { result: { ...result, ...(extra ?? {}) }, events };
    });
    const { result, events } = transaction();
    for (const event of events) bus.emit('scheduleChanged', event);
    return result as ScheduleChange & Partial<T>;
  }

  return { run, reader, planContext };
}
export type Engine = ReturnType<typeof createEngine>;

/**
 * Undo = put every item back as it was: remove what was created (inner breaks first), restore
 * what was changed (at the version it now has), recreate what was deleted with its old id
 * (programmes before their breaks). Overlaps are checked only at the end of a batch, so the
 * order between the three groups does not matter.
 */
function buildInverse(before: Map<number, ItemRow | null>, after: Map<number, ItemRow>): BatchOp[] {
  const deletes: BatchOp[] = [];
  const updates: BatchOp[] = [];
  const creates: { op: BatchOp; child: boolean }[] = [];
  const created: { op: BatchOp; child: boolean }[] = [];
  for (const [id, was] of before) {
    const now = after.get(id);
    if (was === null) {
      if (now)
        created.push({
          op: { op: 'delete', id, version: now.version },
          child: now.parent_item_id !== null,
        });
    } else if (now) {
      const { kind: _kind, ...set } = toSnapshot(was);
      updates.push({ op: 'update', id, version: now.version, set });
    } else {
      creates.push({
        op: { op: 'create', id, item: toSnapshot(was) },
        child: was.parent_item_id !== null,
      });
    }
  }
  // A programme's delete takes its breaks with it, so the breaks go first.
  deletes.push(
    ...created.filter((c) => c.child).map((c) => c.op),
    ...created.filter((c) => !c.child).map((c) => c.op),
  );
  return [
    ...deletes,
    ...updates,
    ...creates.filter((c) => !c.child).map((c) => c.op),
    ...creates.filter((c) => c.child).map((c) => c.op),
  ];
}
