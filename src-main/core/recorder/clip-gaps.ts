// Whether a clip range crosses a hole in the recording. Such a clip is refused before any work,
// naming the hole: filling it with black and silence would look, in a compliance record, like
// black and silence on air, and cutting around it would shorten the clip without saying so.
import type { RecordingGap } from '../../../src-shared/contract';

export type Span = { fromAt: number; toAt: number };

/** The first hole inside [inAt, outAt): a gap on record, or media missing between spans. */
export function holeIn(
  spans: readonly Span[],
  gaps: readonly RecordingGap[],
  inAt: number,
  outAt: number,
  now: number,
): { fromAt: number; toAt: number; reason: string } | null {
  const holes: { fromAt: number; toAt: number; reason: string }[] = gaps.map((g) => ({
    fromAt: g.fromAt,
    toAt: g.toAt ?? now,
    reason: g.reason.replace(/_/g, ' '),
  }));
  const inside = spans.filter((s) => s.toAt > inAt && s.fromAt < outAt);
  const first = inside[0];
  if (first && first.fromAt > inAt)
    holes.push({ fromAt: inAt, toAt: first.fromAt, reason: 'not recorded' });
  for (let i = 1; i < inside.length; i++)
    holes.push({ fromAt: inside[i - 1]!.toAt, toAt: inside[i]!.fromAt, reason: 'not recorded' });
  // A hole lies at least partly inside the range and is longer than segment-boundary jitter; the live
  // edge (out point not recorded yet) is not a hole: the clip ends where the recording does.
  const found = holes
    .filter((h) => h.toAt > inAt && h.fromAt < outAt && h.toAt - h.fromAt > 250)
    .sort((a, b) => a.fromAt - b.fromAt)[0];
  return found ?? null;
}
