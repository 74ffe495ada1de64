import { performance } from 'node:perf_hooks';
import type { AsRunRow } from '../../../src-shared/contract';
import { walkEntries } from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import type { PlayoutEngine } from './playout-engine';
import type { PlayoutStore } from './playout-store';

/** Work per turn of the event loop when the clock ticks (see tickSpread). */
const SLICE_MS = 2;

/**
 * Appends what went on air. Every second it asks the resolver which entries have started
 * since the channel's last as-run row and writes one row each, with the derived media and
 * discontinuity sequence numbers: they are the checkpoints later counting resumes from.
 * After a restart the first tick back-fills what aired while the process was down (the
 * clock says what aired). Cheap: one entry walk from the latest checkpoint per channel.
 */
export function createAsRunTicker(deps: {
  context: CoreContext;
  store: PlayoutStore;
  engine: PlayoutEngine;
  /** A new entry started on these channels. */
  onEntries(channelIds: number[]): void;
}) {
  const { context, store, engine } = deps;
  // Until when nothing new can start on a channel (the end of the entry on air). The tick
  // skips such channels, so 500 channels cost a handful of walks per second, not 500; any
  // schedule or playout change on a channel makes it walk again at once.
  const quietUntil = new Map<number, number>();
  const unsubscribes = [
    context.bus.on('scheduleChanged', ({ channelId }) => quietUntil.delete(channelId)),
    context.bus.on('playoutChanged', ({ channelId }) => quietUntil.delete(channelId)),
    context.bus.on('channelsChanged', () => quietUntil.clear()),
  ];

  function catchUp(channelId: number, now: number, joinedAt: number | null = null): AsRunRow[] {
    const input = engine.input(channelId, now, now + 1);
    if (!input) return [];
    const last = store.lastEntry(channelId);
    const rows: AsRunRow[] = [];
    let previous = last ? { id: last.id, airedAt: last.airedAt } : null;
    let onAirEnds: number | null = null;
    context.db.transaction(() => {
      for (const { plan, checkpoint } of walkEntries(input, now + 1)) {
        const { entry } = plan;
        onAirEnds = entry.startsAt + entry.durationMs;
        if (last && checkpoint.at <= last.entryAt) continue;
        // A (re)start joins the entry on air; entries that ran while off air are not logged.
        if (joinedAt !== null && onAirEnds <= joinedAt) continue;
        const airedAt = joinedAt !== null ? Math.max(entry.startsAt, joinedAt) : entry.startsAt;
        const row = store.append({
          channel_id: channelId,
          kind: entry.kind,
          item_id: entry.itemId,
          asset_id: entry.assetId,
          title: entry.title,
          scheduled_at: entry.scheduledAt,
          entry_at: entry.startsAt,
          aired_at: airedAt,
          duration_ms: entry.startsAt + entry.durationMs - airedAt,
          msn: checkpoint.msn,
          disc_seq: checkpoint.disc,
          note: plan.substituted
            ? 'media not ready: slate played'
            : entry.programmeStart || entry.kind !== 'programme'
              ? null
              : 'continues after break',
        });
        if (!row) continue;
        if (previous) store.setDuration(previous.id, entry.startsAt - previous.airedAt);
        previous = { id: row.id, airedAt };
        rows.push(row);
        if (plan.substituted) {
          engine.recordAlarm({
            channelId,
            kind: 'media_not_ready',
            message: `“${entry.title}” has no playable media: slate is on air instead.`,
            at: now,
            itemId: entry.itemId,
          });
        }
      }
    })();
    if (onAirEnds !== null && joinedAt === null) quietUntil.set(channelId, onAirEnds);
    return rows;
  }

  function step(channelId: number, now: number): AsRunRow[] {
    let rows: AsRunRow[] = [];
    try {
      rows = catchUp(channelId, now);
    } catch (error) {
      context.logger.error(`as-run for channel ${channelId} failed`, error);
    }
    return rows;
  }

  function due(now: number): number[] {
    return engine.onAir().filter((id) => (quietUntil.get(id) ?? 0) <= now);
  }

  /**
   * Tells the rest of the core. The announcement of a new entry (a playoutChanged) must not
   * make the channel walk again next second: its quiet interval is kept across the callback.
   */
  function report(rows: AsRunRow[], changed: number[]): void {
    if (rows.length > 0) context.bus.emit('asRunAppended', { rows });
    if (changed.length === 0) return;
    const kept = changed.map((id) => quietUntil.get(id));
    deps.onEntries(changed);
    changed.forEach((id, i) => {
      const until = kept[i];
      if (until !== undefined && !quietUntil.has(id)) quietUntil.set(id, until);
    });
  }

  /** Every channel due at `now`, in one go (start-up back-fill, tests with a hand-driven clock). */
  function tick(now = context.clock.now()): void {
    const all: AsRunRow[] = [];
    const changed: number[] = [];
    for (const channelId of due(now)) {
      const rows = step(channelId, now);
      if (rows.length > 0) {
        all.push(...rows);
        changed.push(channelId);
      }
    }
    report(all, changed);
  }

  /*
   * The clock's tick: the same work, handed out in slices of about SLICE_MS so requests
   * arriving meanwhile are answered between them (on the demo's 500 channels a dozen entries
   * start in the same second, and walking and announcing them in one block held every
   * playlist request for tens of milliseconds). A channel still queued when the next tick
   * comes is walked once, at the latest tick's instant.
   */
  const queued = new Set<number>();
  let queueNow = 0;
  let sliceTimer: NodeJS.Immediate | undefined;
  let closed = false;
  function runSlice(): void {
    sliceTimer = undefined;
    const started = performance.now();
    for (const channelId of queued) {
      if (closed) return;
      queued.delete(channelId);
      // Stopped since it was queued: nothing of it airs any more.
      if (!engine.isOnAir(channelId)) continue;
      const rows = step(channelId, queueNow);
      if (rows.length > 0) report(rows, [channelId]);
      if (performance.now() - started >= SLICE_MS) break;
    }
    if (queued.size > 0 && !closed) sliceTimer = setImmediate(runSlice);
  }
  function tickSpread(now = context.clock.now()): void {
    queueNow = now;
    for (const channelId of due(now)) queued.add(channelId);
    if (queued.size > 0 && !sliceTimer && !closed) sliceTimer = setImmediate(runSlice);
  }

  return {
    tick,
    tickSpread,
    catchUp,
    close() {
      closed = true;
      if (sliceTimer) clearImmediate(sliceTimer);
      queued.clear();
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}
export type AsRunTicker = ReturnType<typeof createAsRunTicker>;
