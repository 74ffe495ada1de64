import type { Database } from 'better-sqlite3';
import type { ParsedRequest } from '../../../src-shared/contract';
import {
  addDays,
  copiedStart,
  findGaps,
  FRAME_MS,
  localDayRange,
  parseHhMm,
  planFill,
  templateWindows,
  type FillAsset,
  type FillOrder,
  type FillWindow,
  type PlannedItem,
  type Span,
} from '../../../src-shared/timeline';
import { AppError } from '../errors';
import type { Engine, EngineOp, PlanContext } from './engine';
import { toSnapshot, toSpan } from './item-rows';
import { createRipplePlanner } from './ripple-ops';
import type { Templates } from './templates-store';

const frameCeil = (ms: number) => Math.ceil(ms / FRAME_MS) * FRAME_MS;
type FillSource = {
  folderId: number;
  recursive: boolean;
  order: FillOrder;
  noRepeatWithinMs: number;
};

/**
 * Fill tools (gap, range, templates) and day/week copies. Fills only ever write into empty
 * air after the lock horizon, so they never move or clash with what is there.
 */
export function createFilling(
  db: Database,
  engine: Engine,
  templates: Templates,
  timeZone: () => string,
) {
  const { reader } = engine;
  const ripple = createRipplePlanner(db);
  const folderExists = db.prepare<[number], { id: number }>('SELECT id FROM folders WHERE id = ?');
  const readyAssets = db.prepare<[number, number], { id: number; duration_ms: number }>(`
    WITH RECURSIVE tree(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT f.id, tree.depth + 1 FROM folders f JOIN tree ON f.parent_id = tree.id WHERE ?
    )
    SELECT a.id, a.duration_ms FROM assets a JOIN tree ON a.folder_id = tree.id
    WHERE a.state = 'ready' AND a.duration_ms > 0
    ORDER BY tree.depth, a.name COLLATE NOCASE, a.id`);
  const recentPlays = db.prepare<[number, number, number], { assetId: number; startsAt: number }>(
    `SELECT asset_id AS assetId, starts_at AS startsAt FROM schedule_items
     WHERE channel_id = ? AND asset_id IS NOT NULL AND starts_at >= ? AND starts_at < ?`,
  );

  const assetsOf = (source: FillSource): FillAsset[] => {
    if (!folderExists.get(source.folderId))
      throw new AppError('not_found', `Folder ${source.folderId} does not exist.`);
    return readyAssets
      .all(source.folderId, source.recursive ? 1 : 0)
      .map((a) => ({ id: a.id, durationMs: a.duration_ms }));
  };
  const freeWindows = (
    channelId: number,
    from: number,
    to: number,
    planned: readonly Span[] = [],
  ): FillWindow[] => {
    if (to <= from) return [];
    const spans = [...reader.topInRange(channelId, from, to).map(toSpan), ...planned];
    return findGaps(spans, from, to).map((g) => ({ start: g.start, end: g.end }));
  };
  const createOps = (
    channelId: number,
    items: readonly PlannedItem[],
    title: string | null = null,
  ): EngineOp[] =>
    items.map((p) => ({
      op: 'create',
      item: {
        channelId,
        kind: 'asset',
        assetId: p.assetId,
        parentItemId: null,
        offsetMs: null,
        startsAt: p.start,
        durationMs: p.durationMs,
        inMs: 0,
        title,
        category: null,
      },
    }));

  function fillWindows(
    channelId: number,
    windows: FillWindow[],
    source: FillSource,
    seed: number,
    minTailMs: number,
  ) {
    const assets = assetsOf(source);
    if (assets.length === 0) {
      throw new AppError(
        'conflict',
        `Folder ${source.folderId} has no ready assets with a known duration to fill from.`,
      );
    }
    const first = windows[0]?.start ?? 0;
    const history =
      source.noRepeatWithinMs > 0
        ? recentPlays.all(channelId, first - source.noRepeatWithinMs, first)
        : [];
    const plan = planFill(windows, assets, { ...source, seed, minTailMs, history });
    return {
      ops: createOps(channelId, plan.items),
      extra: { filled: windows, unfilled: plan.unfilled, repeats: plan.repeats },
    };
  }

  const startAfterLock = (from: number, ctx: PlanContext) => Math.max(from, frameCeil(ctx.lockEnd));

  return {
    fillRange(req: ParsedRequest<'scheduleFillRange'>) {
      return engine.run((ctx) => {
        const windows = freeWindows(req.channelId, startAfterLock(req.from, ctx), req.to);
        return fillWindows(req.channelId, windows, req, req.seed, req.minTailMs);
      });
    },

    fillGap(req: ParsedRequest<'scheduleFillGap'>) {
      return engine.run((ctx) => {
        const covering = reader.runningInto(req.channelId, req.at + 1);
        if (covering && covering.starts_at <= req.at) {
          throw new AppError(
            'conflict',
            `${new Date(req.at).toISOString()} is inside item ${covering.id}, not in a gap.`,
          );
        }
        const prev = reader.previous(req.channelId, req.at + 1);
        const start = startAfterLock(
          prev ? toSpan(prev).start + toSpan(prev).duration : req.at,
          ctx,
        );
        const next = reader
          .topInRange(req.channelId, req.at, Number.MAX_SAFE_INTEGER)
          .find((r) => r.starts_at > req.at);
        const end = Math.min(next?.starts_at ?? Infinity, req.until ?? Infinity);
        if (!Number.isFinite(end))
          throw new AppError('invalid_request', 'Nothing follows this gap: give `until`.');
        const windows = end > start ? [{ start, end }] : [];
        return fillWindows(req.channelId, windows, req, req.seed, req.minTailMs);
      });
    },

    applyTemplate(req: ParsedRequest<'templateApply'>) {
      const template = templates.get(req.templateId);
      return engine.run((ctx) => {
        const blocks = template.blocks.map((b) => ({
          ...b,
          startMinute: parseHhMm(b.start) ?? 0,
          endMinute: parseHhMm(b.end) ?? 0,
        }));
        const windows = templateWindows(timeZone(), blocks, req.fromDate, req.toDate).sort(
          (a, b) => a.start - b.start,
        );
        const planned: PlannedItem[] = [];
        const filled: FillWindow[] = [];
        const unfilled: FillWindow[] = [];
        let repeats = 0;
        const ops: EngineOp[] = [];
        windows.forEach((w, index) => {
          const block = blocks[w.block];
          if (!block) return;
          const free = freeWindows(
            req.channelId,
            startAfterLock(w.start, ctx),
            w.end,
            planned.map((p, i) => ({ id: -1 - i, start: p.start, duration: p.durationMs })),
          );
          if (free.length === 0) return;
          const assets = assetsOf(block);
          const from = free[0]?.start ?? w.start;
          const history = [
            ...recentPlays.all(req.channelId, from - block.noRepeatWithinMs, from),
            ...planned.map((p) => ({ assetId: p.assetId, startsAt: p.start })),
          ];
          const plan = planFill(free, assets, { ...block, seed: req.seed + index, history });
          planned.push(...plan.items);
          filled.push(...free);
          unfilled.push(...plan.unfilled);
          repeats += plan.repeats;
          ops.push(...createOps(req.channelId, plan.items, block.title));
        });
        return { ops, extra: { filled, unfilled, repeats } };
      });
    },

    copyDays(req: ParsedRequest<'scheduleCopyDays'>) {
      const zone = timeZone();
      return engine.run((ctx) => {
        const target = req.targetChannelId ?? req.channelId;
        const source = {
          start: localDayRange(zone, req.sourceDate).start,
          end: localDayRange(zone, addDays(req.sourceDate, req.days - 1)).end,
        };
        const rows = reader
          .topInRange(req.channelId, source.start, source.end)
          .filter((r) => r.starts_at >= source.start);
        const ops: EngineOp[] = [];
        const placed: Span[] = [];
        const replaced = new Set<number>();
        for (const date of req.targetDates) {
          const range = {
            start: localDayRange(zone, date).start,
            end: localDayRange(zone, addDays(date, req.days - 1)).end,
          };
          if (target === req.channelId && range.start < source.end && source.start < range.end) {
            throw new AppError(
              'invalid_request',
              `The target days from ${date} overlap the source days.`,
            );
          }
          if (req.replace) {
            for (const row of reader.topInRange(target, range.start, range.end)) {
              if (row.starts_at < range.start || replaced.has(row.id)) continue;
              replaced.add(row.id);
              ops.push({ op: 'delete', id: row.id });
            }
          }
          for (const row of rows) {
            const startsAt = copiedStart(zone, row.starts_at, req.sourceDate, date, req.align);
            const key = `${date}-${row.id}`;
            ops.push({
              op: 'create',
              key,
              item: { ...toSnapshot(row), channelId: target, startsAt },
            });
            for (const child of reader.children(row.id)) {
              ops.push({
                op: 'create',
                parentKey: key,
                item: { ...toSnapshot(child), channelId: target },
              });
            }
            placed.push({
              id: -1 - placed.length,
              start: startsAt,
              duration: row.duration_ms + row.breaks_ms,
            });
          }
        }
        if (req.ripple) ops.push(...ripple.push(target, placed, replaced, ctx));
        return { ops };
      });
    },
  };
}
