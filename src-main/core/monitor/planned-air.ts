// What a channel's timeline plans at an instant of air, as the detector asks it: slate or not.
// The detector reads near the live edge, so the live window's segments answer almost every
// question, and their source says exactly what plays: a gap, a hold, a break (inside a
// programme too) or missing media all play slate. Segments seen are kept for a while so a
// detector running a little behind is answered the same way; further back, the programme list
// answers (it folds a programme's inner breaks into the programme).
import type { PlayoutApi } from '../playout';
import type { AirPlan } from './detector';

/** About two minutes of 2 s segments. */
const KEEP = 64;

type Stretch = { slate: boolean; startsAt: number; endsAt: number };

export function createChannelAirPlan(
  playout: Pick<PlayoutApi, 'window' | 'programmes'>,
  channelId: number,
  now: () => number,
): AirPlan {
  const seen: Stretch[] = [];
  const learn = () => {
    for (const segment of playout.window(channelId, now())) {
      const last = seen.at(-1);
      if (last && segment.startsAt < last.endsAt) continue;
      seen.push({
        slate: segment.source.kind === 'slate',
        startsAt: segment.startsAt,
        endsAt: segment.startsAt + segment.durationMs,
      });
    }
    if (seen.length > KEEP) seen.splice(0, seen.length - KEEP);
  };
  const known = (airMs: number) => seen.find((s) => s.startsAt <= airMs && airMs < s.endsAt);
  return (airMs) => {
    if (airMs >= (seen.at(-1)?.endsAt ?? Number.NEGATIVE_INFINITY)) learn();
    const segment = known(airMs);
    if (segment) return { slate: segment.slate, endsAt: segment.endsAt };
    const programme = playout
      .programmes(channelId, airMs, airMs + 1)
      .find((p) => p.startsAt <= airMs && airMs < p.endsAt);
    return programme ? { slate: programme.kind === 'slate', endsAt: programme.endsAt } : null;
  };
}
