import { planEntry, type PlayoutEntry } from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import type { CutCache, CutSource } from './cut-cache';
import { VARIANTS } from './media-tables';
import type { PlayoutEngine } from './playout-engine';

export const PREPARE_AHEAD_MS = 6 * 3_600_000;

/** The part of the coming hours already scanned for a channel, and what it was computed from. */
type Scanned = { key: string; until: number };

/**
 * Makes the cuts of the next hours before they air, so a playlist never waits for ffmpeg. Only
 * an entry's first and last segments can be cuts, so the scan is one step per entry.
 *
 * A channel's horizon slides forward with the clock, so a later scan only reads the part past
 * the last one (a half hour instead of six on 500 channels was the largest block left in the
 * event loop). That holds while the arithmetic is unchanged: a schedule edit, an operator
 * action, a hold or release (the channel's state key), or media becoming ready starts over
 * from `now` (see `forget`).
 */
export function createCutPreparer(deps: {
  context: CoreContext;
  engine: PlayoutEngine;
  cuts: CutCache;
  aheadMs?: number;
}) {
  const { context, engine, cuts } = deps;
  const ahead = deps.aheadMs ?? PREPARE_AHEAD_MS;
  const scanned = new Map<number, Scanned>();

  function queue(source: CutSource): number {
    let queued = 0;
    for (const variant of VARIANTS) {
      if (cuts.ready(source, variant)) continue;
      cuts.prepare(source, variant);
      queued += 1;
    }
    return queued;
  }

  /** Queues the cuts of `entry` that start in [from, to); a piece clipped at `to` waits. */
  function queueEntry(entry: PlayoutEntry, from: number, to: number): number {
    const plan = planEntry(entry, { assetTable: engine.assetTable, slate: engine.slateTable });
    if (plan.count === 0) return 0;
    // Tiled up to `to`: an entry reaching it may be longer, so its real last segment is
    // unknown until the next scan reads past it.
    const clipped = entry.startsAt + entry.durationMs >= to;
    let queued = 0;
    for (const k of new Set([0, plan.count - 1])) {
      if (k === plan.count - 1 && clipped) continue;
      const slot = plan.slot(k);
      const startsAt = entry.startsAt + slot.offsetMs;
      if (startsAt + slot.durationMs <= from || startsAt >= to) continue;
      const { source } = slot;
      if (source.cut === null) continue;
      queued += queue({
        assetId: source.kind === 'slate' ? 'slate' : source.assetId,
        seq: source.seq,
        cut: source.cut,
      });
    }
    return queued;
  }

  function prepare(channelId: number, now = context.clock.now()): number {
    const key = engine.stateKey(channelId);
    const epoch = engine.channelEpoch(channelId);
    if (epoch === null) return 0;
    const to = now + ahead;
    const last = scanned.get(channelId);
    // Scanned to `from` already: a segment that starts before it was looked at then.
    const from = last && last.key === key && last.until > now ? last.until : now;
    scanned.set(channelId, { key, until: to });
    if (from >= to) return 0;
    let queued = 0;
    // Whole entries: one running into `from` keeps its true start, so its last segment (the
    // one that may be a cut) is the same as a scan from its start would find.
    for (const entry of engine.entries(channelId, from, to, true)) {
      if (entry.startsAt >= to) break;
      if (entry.startsAt + entry.durationMs <= from) continue;
      queued += queueEntry(entry, Math.max(from, epoch), to);
    }
    return queued;
  }

  return {
    prepare,
    prepareAll(now = context.clock.now()): number {
      let queued = 0;
      for (const channelId of engine.onAir()) queued += prepare(channelId, now);
      return queued;
    },
    /** The next scan of `channelId` (of every channel without one) reads all of its hours. */
    forget(channelId?: number): void {
      if (channelId === undefined) scanned.clear();
      else scanned.delete(channelId);
    },
  };
}
export type CutPreparer = ReturnType<typeof createCutPreparer>;
