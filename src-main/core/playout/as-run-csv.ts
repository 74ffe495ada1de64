import type { AsRunRow } from '../../../src-shared/contract';

const HEADER = [
  'id',
  'channel_id',
  'kind',
  'title',
  'item_id',
  'asset_id',
  'scheduled_at',
  'aired_at',
  'duration_ms',
  'offset_ms',
  'msn',
  'disc_seq',
  'note',
];

/** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The as-run log as CSV, CRLF line ends; offset_ms = aired − scheduled (late is positive). */
export function asRunCsv(rows: readonly AsRunRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.channelId,
        r.kind,
        r.title,
        r.itemId,
        r.assetId,
        iso(r.scheduledAt),
        iso(r.airedAt),
        r.durationMs,
        r.scheduledAt === null ? null : r.airedAt - r.scheduledAt,
        r.msn,
        r.discSeq,
        r.note,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
