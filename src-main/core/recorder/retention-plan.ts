// Which recorded segments retention deletes. Pure: the recorder hands it candidates (segments
// no hold covers, oldest first) and the limits; ranges under a hold are never candidates.

export type RetentionCandidate = { id: number; endAt: number; bytes: number };

export type RetentionLimits = {
  /** Segments that ended before this instant are past the source's retention days. */
  expiresBefore: number;
  /** Bytes the source holds in total (held segments included) and its cap, if any. */
  totalBytes: number;
  capBytes: number | null;
};

/** Oldest-first candidates to delete: everything expired, then oldest until under the cap. */
export function planRetention(
  candidates: readonly RetentionCandidate[],
  limits: RetentionLimits,
): RetentionCandidate[] {
  const out: RetentionCandidate[] = [];
  let total = limits.totalBytes;
  for (const candidate of candidates) {
    const expired = candidate.endAt < limits.expiresBefore;
    const overCap = limits.capBytes !== null && total > limits.capBytes;
    if (!expired && !overCap) break;
    out.push(candidate);
    total -= candidate.bytes;
  }
  return out;
}

/**
 * Low free space: the oldest candidates across all sources until `needBytes` are freed.
 * Candidates are per source, each oldest first; the oldest air time goes first overall.
 */
export function planFreeSpace(
  perSource: readonly (readonly (RetentionCandidate & { startAt: number })[])[],
  needBytes: number,
): number[] {
  const merged = perSource.flat().sort((a, b) => a.startAt - b.startAt || a.id - b.id);
  const ids: number[] = [];
  let freed = 0;
  for (const candidate of merged) {
    if (freed >= needBytes) break;
    ids.push(candidate.id);
    freed += candidate.bytes;
  }
  return ids;
}
