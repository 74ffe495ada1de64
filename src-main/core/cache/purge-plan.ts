// Which cached files a GC pass removes. Pure, so the policy is tested without a disk.
import type { CacheEntry } from './cache-store';

export type PurgePolicy = {
  now: number;
  orphanMs: number;
  /** Null: no cap. */
  sizeCapBytes: number | null;
  /** Needed by something airing within the horizon, or pinned. */
  isRetained(entry: CacheEntry): boolean;
  /** Somebody is reading the file right now. */
  isOpen(entry: CacheEntry): boolean;
};

export type PurgeReason = 'orphan' | 'size_cap';
export type PurgeDecision = { entry: CacheEntry; reason: PurgeReason };

/**
 * 1. Orphans: nothing retains them, nobody reads them, unread for longer than `orphanMs`.
 * 2. Then, while the rest is over the size cap: least recently read unretained closed files.
 * Retained and open files are never chosen, even if that leaves the cache over its cap
 * (the low-disk alarm is what tells the operator).
 */
export function planPurge(entries: readonly CacheEntry[], policy: PurgePolicy): PurgeDecision[] {
  const decisions: PurgeDecision[] = [];
  const kept: CacheEntry[] = [];
  let keptBytes = 0;
  for (const entry of entries) {
    const removable = !policy.isRetained(entry) && !policy.isOpen(entry);
    if (removable && policy.now - entry.lastReadAt > policy.orphanMs) {
      decisions.push({ entry, reason: 'orphan' });
    } else {
      kept.push(entry);
      keptBytes += entry.size;
    }
  }
  if (policy.sizeCapBytes === null || keptBytes <= policy.sizeCapBytes) return decisions;
  const evictable = kept
    .filter((e) => !policy.isRetained(e) && !policy.isOpen(e))
    .sort((a, b) => a.lastReadAt - b.lastReadAt || a.id - b.id);
  for (const entry of evictable) {
    if (keptBytes <= policy.sizeCapBytes) break;
    decisions.push({ entry, reason: 'size_cap' });
    keptBytes -= entry.size;
  }
  return decisions;
}
