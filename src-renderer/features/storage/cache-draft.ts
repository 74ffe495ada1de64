import type { CacheSettings } from '../../../src-shared/contract';

const GB = 1_000_000_000;

/** What the settings form holds: hours, minutes and gigabytes as typed. */
export type Draft = {
  horizonHours: string;
  orphanMinutes: string;
  sizeCapGb: string;
  lowDiskGb: string;
  checkContentMd5: boolean;
};

/** Gigabytes to two decimals: a 2 GiB default reads 2.15, not 2.147483648. */
const gigabytes = (bytes: number) => String(Math.round((bytes / GB) * 100) / 100);

export function draftOf(settings: CacheSettings): Draft {
  return {
    horizonHours: String(settings.horizonHours),
    orphanMinutes: String(settings.orphanMinutes),
    sizeCapGb: settings.sizeCapBytes === null ? '' : gigabytes(settings.sizeCapBytes),
    lowDiskGb: gigabytes(settings.lowDiskFreeBytes),
    checkContentMd5: settings.checkContentMd5,
  };
}

/**
 * Only the fields the operator retyped (a rounded figure left alone is not sent back rounded).
 * NaN is sent as typed so the core names the field it refuses.
 */
export function patchOf(draft: Draft, saved: CacheSettings): Partial<CacheSettings> {
  const before = draftOf(saved);
  const patch: Partial<CacheSettings> = {};
  if (draft.horizonHours !== before.horizonHours) patch.horizonHours = Number(draft.horizonHours);
  if (draft.orphanMinutes !== before.orphanMinutes) {
    patch.orphanMinutes = Number(draft.orphanMinutes);
  }
  if (draft.sizeCapGb !== before.sizeCapGb) {
    patch.sizeCapBytes =
      draft.sizeCapGb.trim() === '' ? null : Math.round(Number(draft.sizeCapGb) * GB);
  }
  if (draft.lowDiskGb !== before.lowDiskGb) {
    patch.lowDiskFreeBytes = Math.round(Number(draft.lowDiskGb) * GB);
  }
  if (draft.checkContentMd5 !== before.checkContentMd5) {
    patch.checkContentMd5 = draft.checkContentMd5;
  }
  return patch;
}
