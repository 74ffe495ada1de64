import type { PlayoutStatus } from '../../../src-shared/contract';
import type { Span } from '../../../src-shared/timeline';
import type { CoreContext } from '../core-context';
import { AppError } from '../errors';
import { createEngine, type EngineOp } from '../schedule/engine';
import { createItemReader, toSpan, type ItemRow } from '../schedule/item-rows';
import { createRipplePlanner } from '../schedule/ripple-ops';
import type { ScheduleSettingsStore } from '../schedule/schedule-settings';
import type { PlayoutEngine } from './playout-engine';
import type { PlayoutStore } from './playout-store';

export type ActionResult = { status: PlayoutStatus; effectiveAt: number };
type Kind = 'start' | 'stop' | 'takeNext' | 'skip' | 'insertNow' | 'breakNow' | 'hold' | 'release';

const TITLES: Record<Kind, string> = {
  start: 'Start',
  stop: 'Stop',
  takeNext: 'Take next',
  skip: 'Skip',
  insertNow: 'Insert now',
  breakNow: 'Break now',
  hold: 'Hold',
  release: 'Release',
};

/**
 * Operator control. Each action writes its as-run row first, then changes only the future
 * from the next segment boundary B (the end of the segment on air), so nothing a player has
 * fetched changes. Schedule changes go through the schedule engine (versions, overlaps,
 * events, undo batches) with the lock horizon lifted to the programme on air: an explicit
 * action is exactly what the lock waits for.
 */
export function createOperatorActions(deps: {
  context: CoreContext;
  store: PlayoutStore;
  engine: PlayoutEngine;
  onChanged(channelId: number): void;
}) {
  const { context, store, engine } = deps;
  const { db } = context;
  let lockAt: number | null = null;
  const lifted: ScheduleSettingsStore = {
    get: () => ({ lockHorizonMs: 0 }),
    set: (next) => next,
  };
  const schedule = createEngine({
    db,
    bus: context.bus,
    clock: { now: () => lockAt ?? context.clock.now() },
    settings: lifted,
  });
  const reader = createItemReader(db);
  const ripple = createRipplePlanner(db);
  const assetLength = db.prepare<
    [number],
    { duration_ms: number | null; state: string; name: string }
  >('SELECT duration_ms, state, name FROM assets WHERE id = ?');

  function mustChannel(channelId: number) {
    const channel = engine.channel(channelId);
    if (!channel) throw new AppError('not_found', `Channel ${channelId} does not exist.`);
    return channel;
  }

  /** End of the segment on air: where an action takes effect. */
  function boundary(channelId: number, now: number): { at: number; msn: number | null } {
    const segment = engine.segments(channelId, now, now + 1)[0];
    if (segment) return { at: segment.startsAt + segment.durationMs, msn: segment.msn + 1 };
    // Started a moment ago, its air (the epoch, on a 40 ms grid) not yet begun: an action
    // takes effect where the air begins, never before it.
    const first = engine.segments(channelId, now, now + 10_000)[0];
    return first ? { at: first.startsAt, msn: first.msn } : { at: now, msn: null };
  }

  function mustBeOnAir(channelId: number) {
    if (store.state(channelId)?.on_air !== 1) {
      throw new AppError('conflict', `Channel ${channelId} is off air: start it first.`);
    }
  }

  /** The top-level item on air just before `at` (the one an action at `at` interrupts). */
  const onAirAt = (channelId: number, at: number): ItemRow | undefined =>
    reader.runningInto(channelId, at - 1);

  /**
   * Ops that end `row` at `at`: content stops where it had got to, breaks not yet begun are
   * removed, a break in progress is shortened. Returns the content played (for a resume).
   */
  function truncate(
    row: ItemRow,
    at: number,
  ): { ops: EngineOp[]; played: number; later: ItemRow[] } {
    const ops: EngineOp[] = [];
    const later: ItemRow[] = [];
    if (row.kind === 'break') {
      ops.push({ op: 'update', id: row.id, set: { durationMs: at - row.starts_at } });
      return { ops, played: at - row.starts_at, later };
    }
    let breaksBefore = 0;
    let played: number | null = null;
    for (const child of reader.children(row.id)) {
      const offset = child.offset_ms ?? 0;
      const start = row.starts_at + offset + breaksBefore;
      if (played === null && start >= at) played = at - row.starts_at - breaksBefore;
      if (played !== null) {
        ops.push({ op: 'delete', id: child.id });
        later.push(child);
        continue;
      }
      if (start + child.duration_ms > at) {
        ops.push({ op: 'update', id: child.id, set: { durationMs: at - start } });
        played = offset;
      }
      breaksBefore += child.duration_ms;
    }
    played = Math.min(played ?? at - row.starts_at - breaksBefore, row.duration_ms);
    if (played <= 0) {
      throw new AppError('conflict', 'The programme has barely begun: try again in a moment.');
    }
    ops.unshift({ op: 'update', id: row.id, set: { durationMs: played } });
    return { ops, played, later };
  }

  /** The rest of `row` after `played` ms of content, as creates starting at `at`. */
  function remainder(
    row: ItemRow,
    played: number,
    later: ItemRow[],
    at: number,
  ): { ops: EngineOp[]; span: Span } | null {
    if (row.kind !== 'asset' || played >= row.duration_ms) return null;
    const key = `resume-${row.id}`;
    const ops: EngineOp[] = [
      {
        op: 'create',
        key,
        item: {
          channelId: row.channel_id,
          kind: 'asset',
          assetId: row.asset_id,
          parentItemId: null,
          offsetMs: null,
          startsAt: at,
          durationMs: row.duration_ms - played,
          inMs: row.in_ms + played,
          title: row.title,
          category: row.category,
        },
      },
    ];
    let breaks = 0;
    for (const child of later) {
      breaks += child.duration_ms;
      ops.push({
        op: 'create',
        parentKey: key,
        item: {
          channelId: row.channel_id,
          kind: 'break',
          assetId: null,
          parentItemId: null,
          offsetMs: Math.max(0, (child.offset_ms ?? 0) - played),
          startsAt: at,
          durationMs: child.duration_ms,
          inMs: 0,
          title: child.title,
          category: child.category,
        },
      });
    }
    return { ops, span: { id: -2, start: at, duration: row.duration_ms - played + breaks } };
  }

  /**
   * Airs `item` from `at`: the programme on air stops there and resumes after it where it left
   * off, and later items are pushed (a gap absorbs the push).
   */
  function interrupt(
    channelId: number,
    at: number,
    item: {
      kind: 'asset' | 'break';
      assetId: number | null;
      durationMs: number;
      title: string | null;
    },
  ): void {
    if (store.state(channelId)?.held_since != null) {
      throw new AppError('conflict', 'The channel is on hold: release it first.');
    }
    const current = onAirAt(channelId, at);
    const ops: EngineOp[] = [];
    const placed: Span[] = [{ id: -1, start: at, duration: item.durationMs }];
    if (current && toSpan(current).start + toSpan(current).duration > at) {
      const cut = truncate(current, at);
      ops.push(...cut.ops);
      const rest = remainder(current, cut.played, cut.later, at + item.durationMs);
      if (rest) {
        ops.push(...rest.ops);
        placed.push(rest.span);
      }
    }
    ops.push({
      op: 'create',
      item: {
        channelId,
        ...item,
        parentItemId: null,
        offsetMs: null,
        startsAt: at,
        inMs: 0,
        category: null,
      },
    });
    ops.push(
      ...ripple.push(channelId, placed, new Set(current ? [current.id] : []), {
        now: at,
        lockEnd: at,
      }),
    );
    runSchedule(ops, current?.starts_at ?? at);
  }

  /** Writes the action row, then runs `change` (schedule and state) in one transaction. */
  function act(
    kind: Kind,
    channelId: number,
    change: (b: { at: number; msn: number | null }, now: number) => string | null,
  ): ActionResult {
    mustChannel(channelId);
    const now = context.clock.now();
    const effective = boundary(channelId, now);
    const rowId = db.transaction(() => {
      const row = store.append({
        channel_id: channelId,
        kind: 'action',
        item_id: null,
        asset_id: null,
        title: TITLES[kind],
        scheduled_at: null,
        entry_at: null,
        aired_at: now,
        duration_ms: 0,
        msn: effective.msn,
        disc_seq: null,
        note: null,
      });
      const note = change(effective, now);
      if (row && note) store.setNote(row.id, note);
      return row?.id;
    })();
    lockAt = null;
    const written = rowId === undefined ? undefined : store.get(rowId);
    if (written) context.bus.emit('asRunAppended', { rows: [written] });
    deps.onChanged(channelId);
    return { status: engine.status(channelId), effectiveAt: effective.at };
  }

  const runSchedule = (ops: EngineOp[], lock: number) => {
    if (ops.length === 0) return;
    lockAt = lock;
    try {
      schedule.run(() => ({ ops }));
    } finally {
      lockAt = null;
    }
  };

  return {
    start(channelId: number): ActionResult {
      return act('start', channelId, (_b, now) => {
        const state = store.state(channelId);
        if (state?.on_air === 1) return 'already on air';
        const epoch = state?.epoch_at ?? Math.ceil(now / 40) * 40;
        store.saveState({
          channel_id: channelId,
          on_air: 1,
          epoch_at: epoch,
          held_since: state?.held_since ?? null,
        });
        return state?.epoch_at == null ? `epoch ${new Date(epoch).toISOString()}` : null;
      });
    },
    stop(channelId: number): ActionResult {
      return act('stop', channelId, () => {
        const state = store.state(channelId);
        if (!state || state.on_air !== 1) return 'already off air';
        store.saveState({ ...state, on_air: 0 });
        return null;
      });
    },
    takeNext(channelId: number, keepTimes = false): ActionResult {
      mustBeOnAir(channelId);
      return act(keepTimes ? 'skip' : 'takeNext', channelId, (b) => {
        if (store.state(channelId)?.held_since != null) {
          throw new AppError('conflict', 'The channel is on hold: release it first.');
        }
        const current = onAirAt(channelId, b.at);
        const ops: EngineOp[] = [];
        let note: string | null = null;
        if (current && current.starts_at + current.duration_ms + current.breaks_ms > b.at) {
          ops.push(...truncate(current, b.at).ops);
          note = `ended ${current.title ?? current.asset_name ?? `item ${current.id}`} early`;
        }
        if (!keepTimes) {
          const after = current
            ? current.starts_at + current.duration_ms + current.breaks_ms
            : b.at;
          const next = reader
            .topInRange(channelId, after, Number.MAX_SAFE_INTEGER)
            .find((r) => r.starts_at >= after);
          if (next && next.starts_at > b.at) {
            const hole: Span = { id: -1, start: b.at, duration: next.starts_at - b.at };
            ops.push(
              ...ripple.pull(channelId, [hole], new Set(current ? [current.id] : []), {
                now: b.at,
                lockEnd: b.at,
              }),
            );
          }
        }
        runSchedule(ops, current?.starts_at ?? b.at);
        return note;
      });
    },
    insertNow(channelId: number, assetId: number): ActionResult {
      mustBeOnAir(channelId);
      const asset = assetLength.get(assetId);
      if (!asset) throw new AppError('not_found', `Asset ${assetId} does not exist.`);
      if (asset.state !== 'ready' || !asset.duration_ms) {
        throw new AppError('conflict', `Asset ${assetId} “${asset.name}” is not ready for air.`);
      }
      const length = asset.duration_ms;
      return act('insertNow', channelId, (b) => {
        interrupt(channelId, b.at, {
          kind: 'asset',
          assetId,
          durationMs: length,
          title: asset.name,
        });
        return `inserted asset ${assetId} (${length} ms)`;
      });
    },
    /**
     * An ad break from the next segment boundary: it airs as a break item, so the outputs
     * announce it with the same SCTE-35 markers as a scheduled one.
     */
    breakNow(channelId: number, durationMs: number, title: string | null): ActionResult {
      mustBeOnAir(channelId);
      return act('breakNow', channelId, (b) => {
        interrupt(channelId, b.at, { kind: 'break', assetId: null, durationMs, title });
        return `break of ${durationMs} ms`;
      });
    },
    hold(channelId: number): ActionResult {
      mustBeOnAir(channelId);
      return act('hold', channelId, (b) => {
        const state = store.state(channelId);
        if (!state || state.held_since !== null) return 'already held';
        store.saveState({ ...state, held_since: b.at });
        return null;
      });
    },
    release(channelId: number): ActionResult {
      mustBeOnAir(channelId);
      return act('release', channelId, (b) => {
        const state = store.state(channelId);
        if (!state || state.held_since === null) return 'not held';
        const heldSince = state.held_since;
        const span = b.at - heldSince;
        const current = onAirAt(channelId, heldSince);
        const ops: EngineOp[] = [];
        const placed: Span[] = [{ id: -1, start: heldSince, duration: span }];
        if (current && toSpan(current).start + toSpan(current).duration > heldSince) {
          const cut = truncate(current, heldSince);
          ops.push(...cut.ops);
          const rest = remainder(current, cut.played, cut.later, b.at);
          if (rest) {
            ops.push(...rest.ops);
            placed.push(rest.span);
          }
        }
        ops.push(
          ...ripple.push(channelId, placed, new Set(current ? [current.id] : []), {
            now: heldSince,
            lockEnd: heldSince,
          }),
        );
        store.saveState({ ...state, held_since: null });
        runSchedule(ops, Math.min(current?.starts_at ?? heldSince, heldSince));
        return `held ${span} ms`;
      });
    },
  };
}
export type OperatorActions = ReturnType<typeof createOperatorActions>;
