// Media position ↔ air time over a recording playlist's fragments. Pure: hls.js hands over its
// fragments (each with its media start, duration and program date-time); nothing else is read.

export type TimedFragment = {
  /** Media position of the fragment's first frame, seconds. */
  start: number;
  duration: number;
  /** Air time of that first frame (UTC ms); null when the playlist did not date it. */
  programDateTime: number | null;
};

/** Air time (UTC ms) of media position `position`; null outside the fragments or undated. */
export function airTimeAt(fragments: readonly TimedFragment[], position: number): number | null {
  const fragment = fragmentAt(fragments, position);
  if (!fragment || fragment.programDateTime === null) return null;
  return fragment.programDateTime + (position - fragment.start) * 1000;
}

function fragmentAt(fragments: readonly TimedFragment[], position: number) {
  let low = 0;
  let high = fragments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const fragment = fragments[mid]!;
    if (position < fragment.start) high = mid - 1;
    else if (position >= fragment.start + fragment.duration) low = mid + 1;
    else return fragment;
  }
  // The last frame of the playlist sits exactly on its end.
  const last = fragments.at(-1);
  return last && Math.abs(position - (last.start + last.duration)) < 0.001 ? last : undefined;
}

export type Placement =
  | { kind: 'inside'; position: number }
  /** The instant falls in a gap: the next recorded frame after it. */
  | { kind: 'gap'; position: number }
  | { kind: 'before'; position: number }
  | { kind: 'after'; position: number };

/**
 * Where air time `at` is in the media. A gap between runs (an outage) has no media: the player
 * goes to what follows it. Before the first or after the last fragment, the nearest end.
 */
export function positionForAirTime(
  fragments: readonly TimedFragment[],
  at: number,
): Placement | null {
  const dated = fragments.filter((f) => f.programDateTime !== null);
  const first = dated[0];
  const last = dated.at(-1);
  if (!first || !last) return null;
  if (at < first.programDateTime!) return { kind: 'before', position: first.start };
  for (const fragment of dated) {
    const from = fragment.programDateTime!;
    const to = from + fragment.duration * 1000;
    if (at < from) return { kind: 'gap', position: fragment.start };
    if (at < to) return { kind: 'inside', position: fragment.start + (at - from) / 1000 };
  }
  return { kind: 'after', position: last.start + last.duration };
}
