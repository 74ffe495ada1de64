import type { Database } from 'better-sqlite3';
import type { ParsedRequest, ValidationReport } from '../../../src-shared/contract';
import { dstChanges, findGaps, findOverlaps } from '../../../src-shared/timeline';
import type { ItemReader } from './item-rows';
import { toSpan } from './item-rows';

/**
 * What an operator must look at before air, for one channel and range: empty air, clashes
 * (possible after an import or a re-ingest changed a duration), media that will not play, and
 * programmes that straddle a clock change (their wall-clock end is an hour off).
 */
export function createValidation(db: Database, reader: ItemReader, timeZone: () => string) {
  // Overlaps are read straight from the table (not through the engine's invariant) so a
  // damaged or imported schedule is reported, not hidden.
  const topStarting = db.prepare<
    [number, number, number],
    { id: number; starts_at: number; duration_ms: number; breaks_ms: number }
  >(
    `SELECT id, starts_at, duration_ms, breaks_ms FROM schedule_items
     WHERE channel_id = ? AND parent_item_id IS NULL AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id`,
  );

  return (req: ParsedRequest<'scheduleValidate'>): ValidationReport => {
    const zone = timeZone();
    const before = reader.runningInto(req.channelId, req.from);
    const rows = [...(before ? [before] : []), ...topStarting.all(req.channelId, req.from, req.to)];
    const spans = rows.map(toSpan);
    const gaps = findGaps(spans, req.from, req.to);
    const overlaps = findOverlaps(spans);

    const media: ValidationReport['media'] = [];
    for (const row of reader.allInRange(req.channelId, req.from, req.to)) {
      if (row.kind !== 'asset' || row.asset_id === null) continue;
      const base = { itemId: row.id, assetId: row.asset_id, state: row.asset_state };
      if (row.asset_state === null)
        media.push({
          ...base,
          problem: 'missing',
          message: `Asset ${row.asset_id} is missing from the library.`,
        });
      else if (row.asset_state === 'failed')
        media.push({
          ...base,
          problem: 'failed',
          message: `“${row.asset_name}” failed to ingest.`,
        });
      else if (row.asset_state !== 'ready')
        media.push({
          ...base,
          problem: 'not_ready',
          message: `“${row.asset_name}” is ${row.asset_state}, not ready.`,
        });
      else if (
        row.asset_duration_ms !== null &&
        row.in_ms + row.duration_ms > row.asset_duration_ms
      ) {
        media.push({
          ...base,
          problem: 'trim_beyond_media',
          message: `“${row.asset_name}” is ${row.asset_duration_ms} ms long; the item plays to ${row.in_ms + row.duration_ms} ms.`,
        });
      }
    }

    const first = spans[0]?.start ?? req.from;
    const last = Math.max(req.to, ...spans.map((s) => s.start + s.duration));
    const changes = dstChanges(zone, Math.min(first, req.from), last);
    const dst: ValidationReport['dst'] = [];
    for (const span of spans) {
      for (const change of changes) {
        if (change.at > span.start && change.at < span.start + span.duration)
          dst.push({ itemId: span.id, ...change });
      }
    }
    return {
      channelId: req.channelId,
      from: req.from,
      to: req.to,
      timeZone: zone,
      gaps,
      overlaps,
      media,
      dst,
      ok: gaps.length === 0 && overlaps.length === 0 && media.length === 0 && dst.length === 0,
    };
  };
}
