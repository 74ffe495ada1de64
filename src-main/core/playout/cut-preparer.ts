import { walkEntries } from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import type { CutCache, CutSource } from './cut-cache';
import { VARIANTS } from './media-tables';
import type { PlayoutEngine } from './playout-engine';
import { segmentOf } from '../../../src-shared/playout';

export const PREPARE_AHEAD_MS = 6 * 3_600_000;

/**
 * Makes the cuts of the next hours before they air, so a playlist never waits for ffmpeg. Only
 * an entry's first and last segments can be cuts, so the scan is one step per entry.
 */
export function createCutPreparer(deps: {
  context: CoreContext;
  engine: PlayoutEngine;
  cuts: CutCache;
  aheadMs?: number;
}) {
  const { context, engine, cuts } = deps;
  const ahead = deps.aheadMs ?? PREPARE_AHEAD_MS;

  function prepare(channelId: number, now = context.clock.now()): number {
    const input = engine.input(channelId, now, now + ahead);
    if (!input) return 0;
    let queued = 0;
    for (const { plan, checkpoint } of walkEntries(input, now + ahead)) {
      if (plan.entry.startsAt + plan.entry.durationMs <= now || plan.count === 0) continue;
      for (const k of new Set([0, plan.count - 1])) {
        const segment = segmentOf(plan, k, checkpoint);
        const { source } = segment;
        if (source.cut === null) continue;
        const cut: CutSource = {
          assetId: source.kind === 'slate' ? 'slate' : source.assetId,
          seq: source.seq,
          cut: source.cut,
        };
        for (const variant of VARIANTS) {
          if (cuts.ready(cut, variant)) continue;
          cuts.prepare(cut, variant);
          queued += 1;
        }
      }
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
  };
}
export type CutPreparer = ReturnType<typeof createCutPreparer>;
