import type { Database } from 'better-sqlite3';
import type { BatchOp, ParsedRequest } from '../../../src-shared/contract';
import { FRAME_MS, snapStart, snapToFrame, type Span } from '../../../src-shared/timeline';
import { AppError } from '../errors';
import type { Engine, EngineOp, PlanContext } from './engine';
import { toSnapshot, toSpan, type ItemRow } from './item-rows';
import { createRipplePlanner } from './ripple-ops';

/** First frame boundary at or after `ms`: where "as soon as allowed" starts. */
const frameCeil = (ms: number) => Math.ceil(ms / FRAME_MS) * FRAME_MS;

/**
 * The calendar's editing verbs (add, move, trim, duplicate, delete, batch). Each plans engine
 * operations from the current rows; the engine enforces versions, the lock and overlaps.
 */
export function createEditing(db: Database, engine: Engine) {
  const { reader } = engine;
  const ripple = createRipplePlanner(db);
  const assetInfo = db.prepare<[number], { duration_ms: number | null }>(
    'SELECT duration_ms FROM assets WHERE id = ?',
  );

  const mustLoad = (id: number): ItemRow => {
    const row = reader.byId(id);
    if (!row)
      throw new AppError(
        'conflict',
        `Item ${id} no longer exists (someone deleted it). Reload the schedule.`,
      );
    return row;
  };
  const topLevelOnly = (rows: readonly ItemRow[], verb: string) => {
    for (const row of rows) {
      if (row.parent_item_id !== null) {
        throw new AppError(
          'invalid_request',
          `Item ${row.id} is a break inside programme ${row.parent_item_id}: it ${verb} with the programme (change its offset with scheduleBatch).`,
        );
      }
    }
  };
  const snapOnChannel = (
    channelId: number,
    start: number,
    duration: number,
    snapMs: number,
    self: ReadonlySet<number>,
  ) => {
    if (snapMs <= 0) return start;
    const neighbours = reader
      .topInRange(channelId, start - snapMs - duration, start + duration + snapMs)
      .map(toSpan);
    return snapStart(start, duration, neighbours, snapMs, self);
  };

  function add(req: ParsedRequest<'scheduleAdd'>) {
    return engine.run((ctx) => {
      if (req.parent) {
        const parent = mustLoad(req.parent.id);
        const durationMs = Math.max(FRAME_MS, snapToFrame(req.durationMs ?? 0));
        const ops: EngineOp[] = [
          { op: 'check', id: parent.id, version: req.parent.version },
          {
            op: 'create',
            item: {
              channelId: parent.channel_id,
              kind: 'break',
              assetId: null,
              parentItemId: parent.id,
              offsetMs: snapToFrame(req.offsetMs ?? 0),
              startsAt: parent.starts_at,
              durationMs,
              inMs: 0,
              title: req.title,
              category: req.category,
            },
          },
        ];
        if (req.ripple) {
          const grown = { ...toSpan(parent), duration: toSpan(parent).duration + durationMs };
          ops.push(...ripple.push(parent.channel_id, [grown], new Set([parent.id]), ctx));
        }
        return { ops };
      }
      const inMs = snapToFrame(req.inMs);
      let durationMs: number;
      if (req.kind === 'asset') {
        const asset = assetInfo.get(req.assetId ?? 0);
        if (!asset) throw new AppError('invalid_request', `Asset ${req.assetId} does not exist.`);
        if (req.durationMs !== undefined) durationMs = snapToFrame(req.durationMs);
        else if (asset.duration_ms !== null) durationMs = asset.duration_ms - inMs;
        else
          throw new AppError(
            'invalid_request',
            `Asset ${req.assetId} has no known duration yet: give durationMs.`,
          );
      } else {
        durationMs = snapToFrame(req.durationMs ?? 0);
      }
      if (durationMs <= 0)
        throw new AppError(
          'invalid_request',
          'The item would have no duration left after the in point.',
        );
      let start = req.startsAt ?? frameCeil(ctx.lockEnd);
      if (req.afterPrevious && req.startsAt !== undefined) {
        const prev = reader.previous(req.channelId, req.startsAt + 1);
        if (prev) start = prev.starts_at + prev.duration_ms + prev.breaks_ms;
      } else if (req.afterPrevious) {
        const last = reader.last(req.channelId);
        if (last) start = Math.max(last.starts_at + last.duration_ms + last.breaks_ms, start);
      }
      start = snapOnChannel(req.channelId, start, durationMs, req.snapMs, new Set());
      const ops: EngineOp[] = [
        {
          op: 'create',
          item: {
            channelId: req.channelId,
            kind: req.kind,
            assetId: req.kind === 'asset' ? (req.assetId ?? null) : null,
            parentItemId: null,
            offsetMs: null,
            startsAt: start,
            durationMs,
            inMs: req.kind === 'asset' ? inMs : 0,
            title: req.title,
            category: req.category,
          },
        },
      ];
      if (req.ripple)
        ops.push(
          ...ripple.push(req.channelId, [{ id: -1, start, duration: durationMs }], new Set(), ctx),
        );
      return { ops };
    });
  }

  function move(req: ParsedRequest<'scheduleMove'>) {
    return engine.run((ctx) => {
      const rows = req.items.map((ref) => mustLoad(ref.id));
      topLevelOnly(rows, 'moves');
      const ids = new Set(rows.map((r) => r.id));
      const minStart = Math.min(...rows.map((r) => r.starts_at));
      const maxEnd = Math.max(...rows.map((r) => toSpan(r).start + toSpan(r).duration));
      let delta = req.deltaMs ?? (req.startsAt ?? minStart) - minStart;
      const first = rows[0] as ItemRow;
      const snapChannel = req.channelId ?? first.channel_id;
      const snapped = snapOnChannel(
        snapChannel,
        minStart + delta,
        maxEnd - minStart,
        req.snapMs,
        ids,
      );
      delta = snapped - minStart;
      const ops: EngineOp[] = rows.map((row, i) => ({
        op: 'update',
        id: row.id,
        version: (req.items[i] as { version: number }).version,
        set: { startsAt: row.starts_at + delta, channelId: req.channelId ?? row.channel_id },
      }));
      if (req.ripple)
        ops.push(
          ...rippleFor(
            rows,
            (r) => ({ ...toSpan(r), start: r.starts_at + delta }),
            req.channelId,
            ids,
            ctx,
          ),
        );
      return { ops };
    });
  }

  /** Ripple per target channel for a set of rows placed by `place`. */
  function rippleFor(
    rows: readonly ItemRow[],
    place: (row: ItemRow, index: number) => Span,
    channelId: number | undefined,
    exclude: ReadonlySet<number>,
    ctx: PlanContext,
  ): EngineOp[] {
    const byChannel = new Map<number, Span[]>();
    rows.forEach((row, i) => {
      const target = channelId ?? row.channel_id;
      byChannel.set(target, [...(byChannel.get(target) ?? []), place(row, i)]);
    });
    return [...byChannel].flatMap(([target, placed]) => ripple.push(target, placed, exclude, ctx));
  }

  function trim(req: ParsedRequest<'scheduleTrim'>) {
    return engine.run((ctx) => {
      const row = mustLoad(req.id);
      let inMs = row.in_ms;
      let durationMs: number;
      if (row.kind === 'break') {
        if (req.durationMs === undefined || req.inMs !== undefined || req.outMs !== undefined) {
          throw new AppError('invalid_request', 'A break is trimmed with durationMs only.');
        }
        durationMs = Math.max(FRAME_MS, snapToFrame(req.durationMs));
      } else {
        const assetMs = row.asset_duration_ms;
        // The very end of the media is a valid out point even when it is not on a frame.
        const snapOut = (out: number) =>
          assetMs !== null && out >= assetMs
            ? assetMs
            : Math.min(snapToFrame(out), assetMs ?? Infinity);
        if (req.inMs !== undefined) inMs = snapToFrame(req.inMs);
        let out = row.in_ms + row.duration_ms;
        if (req.outMs !== undefined) out = snapOut(req.outMs);
        else if (req.durationMs !== undefined) out = snapOut(inMs + req.durationMs);
        else if (req.inMs === undefined)
          throw new AppError('invalid_request', 'Give inMs, outMs or durationMs.');
        durationMs = out - inMs;
        if (durationMs <= 0)
          throw new AppError(
            'invalid_request',
            `The out point (${out} ms) must be after the in point (${inMs} ms).`,
          );
      }
      const startsAt =
        req.keepEnd && row.parent_item_id === null
          ? row.starts_at + row.duration_ms - durationMs
          : row.starts_at;
      const ops: EngineOp[] = [
        { op: 'update', id: row.id, version: req.version, set: { inMs, durationMs, startsAt } },
      ];
      if (req.ripple) {
        const parent = row.parent_item_id === null ? row : mustLoad(row.parent_item_id);
        const span = toSpan(parent);
        const placed =
          parent === row
            ? { ...span, start: startsAt, duration: span.duration - row.duration_ms + durationMs }
            : { ...span, duration: span.duration - row.duration_ms + durationMs };
        ops.push(...ripple.push(parent.channel_id, [placed], new Set([parent.id]), ctx));
      }
      return { ops };
    });
  }

  function duplicate(req: ParsedRequest<'scheduleDuplicate'>) {
    return engine.run((ctx) => {
      const rows = req.items
        .map((ref) => mustLoad(ref.id))
        .sort((a, b) => a.starts_at - b.starts_at);
      topLevelOnly(rows, 'is copied');
      const minStart = Math.min(...rows.map((r) => r.starts_at));
      const maxEnd = Math.max(...rows.map((r) => r.starts_at + r.duration_ms + r.breaks_ms));
      const offset = req.offsetMs ?? maxEnd - minStart;
      const ops: EngineOp[] = req.items.map((ref) => ({
        op: 'check',
        id: ref.id,
        version: ref.version,
      }));
      for (const row of rows) {
        const channelId = req.channelId ?? row.channel_id;
        const key = `copy-${row.id}`;
        ops.push({
          op: 'create',
          key,
          item: { ...toSnapshot(row), channelId, startsAt: row.starts_at + offset },
        });
        for (const child of reader.children(row.id)) {
          ops.push({ op: 'create', parentKey: key, item: { ...toSnapshot(child), channelId } });
        }
      }
      if (req.ripple) {
        ops.push(
          ...rippleFor(
            rows,
            (r, i) => ({ ...toSpan(r), id: -1 - i, start: r.starts_at + offset }),
            req.channelId,
            new Set(),
            ctx,
          ),
        );
      }
      return { ops };
    });
  }

  function remove(req: ParsedRequest<'scheduleDelete'>) {
    return engine.run((ctx) => {
      const rows = req.items.map((ref) => mustLoad(ref.id));
      const ids = new Set(rows.map((r) => r.id));
      const ops: EngineOp[] = req.items.map((ref) => ({
        op: 'check',
        id: ref.id,
        version: ref.version,
      }));
      // A break whose programme is deleted too goes with it.
      for (const row of rows) {
        if (row.parent_item_id === null || !ids.has(row.parent_item_id))
          ops.push({ op: 'delete', id: row.id });
      }
      if (req.ripple) {
        const holes = new Map<number, Span[]>();
        for (const row of rows) {
          let hole: Span;
          if (row.parent_item_id === null) hole = toSpan(row);
          else if (ids.has(row.parent_item_id)) continue;
          else {
            // A break leaving a programme shortens it: the hole is at the programme's end.
            const parent = mustLoad(row.parent_item_id);
            const end = toSpan(parent).start + toSpan(parent).duration;
            hole = { id: row.id, start: end - row.duration_ms, duration: row.duration_ms };
          }
          holes.set(row.channel_id, [...(holes.get(row.channel_id) ?? []), hole]);
        }
        for (const [channelId, spans] of holes)
          ops.push(...ripple.pull(channelId, spans, ids, ctx));
      }
      return { ops };
    });
  }

  function batch(ops: readonly BatchOp[]) {
    return engine.run(() => ({
      ops: ops.map((op): EngineOp => {
        if (op.op === 'create')
          return op.id === undefined
            ? { op: 'create', item: op.item }
            : { op: 'create', id: op.id, item: op.item };
        if (op.op === 'update')
          return { op: 'update', id: op.id, version: op.version, set: op.set };
        return { op: 'delete', id: op.id, version: op.version };
      }),
    }));
  }

  return { add, move, trim, duplicate, remove, batch };
}
