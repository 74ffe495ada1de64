import type { AssetUsage } from '../schedule/asset-usage';

const formatUtc = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * “Evening News” is scheduled on Channel 1 at 2026-11-21 18:00 UTC (and 3 more). Remove it from
 * the schedule first. — tells the operator exactly what blocks the delete.
 */
export function describeUsage(
  names: ReadonlyMap<number, string>,
  usage: readonly AssetUsage[],
): string {
  const first = usage[0];
  if (!first) return '';
  const name = names.get(first.assetId) ?? `Asset ${first.assetId}`;
  const more = usage.length - 1;
  const assets = new Set(usage.map((u) => u.assetId)).size;
  const subject = assets > 1 ? `${assets} of these assets are` : 'It is';
  return (
    `“${name}” is scheduled on ${first.channelName} at ${formatUtc(first.startsAt)}` +
    `${more > 0 ? ` (and ${more} more)` : ''}. ` +
    `${assets > 1 ? `${subject} on the schedule. ` : ''}Remove ${assets > 1 ? 'them' : 'it'} from the schedule first.`
  );
}
