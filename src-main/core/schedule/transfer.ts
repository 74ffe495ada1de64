import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { MAX_ITEM_MS, ScheduleItemKind, type ParsedRequest } from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { Engine, EngineOp } from './engine';
import { formatCsv, parseCsv } from './csv';
import type { ItemReader, ItemRow } from './item-rows';

/**
 * Schedule exchange. CSV and JSON carry the same rows: a positional `ref` (so ids of this
 * database never leak into a file), the parent's ref for breaks inside programmes, and the
 * start both as ISO UTC (for people) and as ms (exact). Importing an export reproduces it
 * byte for byte. A break's start inside a programme is derived, so on import only its
 * offset counts; `asset_name` is informational.
 */
export const CSV_COLUMNS = [
  'ref',
  'parent_ref',
  'kind',
  'starts_at_utc',
  'starts_at_ms',
  'duration_ms',
  'in_ms',
  'offset_ms',
  'asset_id',
  'asset_name',
  'title',
  'category',
] as const;
const FIELD_OF_COLUMN: Record<(typeof CSV_COLUMNS)[number], keyof ImportItem> = {
  ref: 'ref',
  parent_ref: 'parentRef',
  kind: 'kind',
  starts_at_utc: 'startsAtUtc',
  starts_at_ms: 'startsAt',
  duration_ms: 'durationMs',
  in_ms: 'inMs',
  offset_ms: 'offsetMs',
  asset_id: 'assetId',
  asset_name: 'assetName',
  title: 'title',
  category: 'category',
};
const INT_FIELDS = new Set([
  'ref',
  'parentRef',
  'startsAt',
  'durationMs',
  'inMs',
  'offsetMs',
  'assetId',
]);

const ImportItemSchema = z
  .object({
    ref: z.number().int().positive(),
    parentRef: z.number().int().positive().nullable().default(null),
    kind: ScheduleItemKind,
    startsAt: z.number().int().min(0).max(8_640_000_000_000).nullable().default(null),
    startsAtUtc: z.string().nullable().default(null),
    durationMs: z.number().int().positive().max(MAX_ITEM_MS),
    inMs: z.number().int().nonnegative().default(0),
    offsetMs: z.number().int().nonnegative().nullable().default(null),
    assetId: z.number().int().positive().nullable().default(null),
    assetName: z.string().nullable().default(null),
    title: z.string().max(200).nullable().default(null),
    category: z.string().max(200).nullable().default(null),
  })
  .strict();
type ImportItem = z.output<typeof ImportItemSchema>;
const JsonFileSchema = z.object({
  format: z.literal('airdeck-schedule'),
  version: z.literal(1),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  items: z.array(z.unknown()).max(200_000),
});

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const MAX_ERRORS = 50;

export function createTransfer(db: Database, engine: Engine, reader: ItemReader) {
  const assetDurations = db.prepare<[number], { duration_ms: number | null }>(
    'SELECT duration_ms FROM assets WHERE id = ?',
  );
  const topStarting = db.prepare<[number, number, number], ItemRow>(
    `SELECT i.*, a.name AS asset_name, a.state AS asset_state, a.duration_ms AS asset_duration_ms
     FROM schedule_items i LEFT JOIN assets a ON a.id = i.asset_id
     WHERE i.channel_id = ? AND i.parent_item_id IS NULL AND i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at, i.id`,
  );

  /** Programmes starting in [from, to), each followed by its inner breaks. */
  function exportRows(channelId: number, from: number, to: number): ImportItem[] {
    const out: ImportItem[] = [];
    for (const row of topStarting.all(channelId, from, to)) {
      const ref = out.length + 1;
      out.push(toExport(row, ref, null));
      for (const child of reader.children(row.id)) out.push(toExport(child, out.length + 1, ref));
    }
    return out;
  }
  const toExport = (row: ItemRow, ref: number, parentRef: number | null): ImportItem => ({
    ref,
    parentRef,
    kind: row.kind,
    startsAt: row.starts_at,
    startsAtUtc: new Date(row.starts_at).toISOString(),
    durationMs: row.duration_ms,
    inMs: row.in_ms,
    offsetMs: row.offset_ms,
    assetId: row.asset_id,
    assetName: row.asset_name,
    title: row.title,
    category: row.category,
  });

  function exportSchedule(req: ParsedRequest<'scheduleExport'>) {
    const items = exportRows(req.channelId, req.from, req.to);
    if (req.format === 'json') {
      const file = {
        format: 'airdeck-schedule',
        version: 1,
        channelId: req.channelId,
        from: req.from,
        to: req.to,
        items,
      };
      return { text: `${JSON.stringify(file, null, 2)}\n`, count: items.length };
    }
    const cell = (v: string | number | null) => (v === null ? '' : String(v));
    const rows = items.map((i) => CSV_COLUMNS.map((c) => cell(i[FIELD_OF_COLUMN[c]])));
    return { text: formatCsv([[...CSV_COLUMNS], ...rows]), count: items.length };
  }

  /** Every row is checked; all problems come back at once, each with its row. */
  function parse(req: ParsedRequest<'scheduleImport'>): {
    items: ImportItem[];
    from?: number;
    to?: number;
  } {
    const errors: string[] = [];
    const raw: { where: string; value: unknown }[] = [];
    let from: number | undefined;
    let to: number | undefined;
    if (req.format === 'json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.text);
      } catch (error) {
        throw new AppError(
          'invalid_request',
          `The JSON does not parse: ${(error as Error).message}`,
        );
      }
      const file = JsonFileSchema.safeParse(parsed);
      if (!file.success) {
        throw new AppError(
          'invalid_request',
          'Not an Airdeck schedule file (format "airdeck-schedule", version 1, items).',
        );
      }
      ({ from, to } = file.data);
      file.data.items.forEach((value, i) => raw.push({ where: `items[${i}]`, value }));
    } else {
      const csv = parseCsv(req.text);
      if (csv.error) throw new AppError('invalid_request', csv.error);
      const [header, ...rows] = csv.rows;
      const columns = header?.fields.map((f) => f.trim()) ?? [];
      const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
      if (unknown.length > 0 || !columns.includes('kind')) {
        throw new AppError(
          'invalid_request',
          `line 1: the header must use the columns ${CSV_COLUMNS.join(',')} (unknown: ${unknown.join(', ') || 'none'}).`,
        );
      }
      for (const row of rows) {
        if (row.fields.length !== columns.length) {
          errors.push(
            `line ${row.line}: ${row.fields.length} fields, the header has ${columns.length}`,
          );
          continue;
        }
        const value: Record<string, unknown> = {};
        columns.forEach((column, i) => {
          const field = FIELD_OF_COLUMN[column as (typeof CSV_COLUMNS)[number]];
          const text = row.fields[i] ?? '';
          if (text === '') value[field] = null;
          else if (INT_FIELDS.has(field)) value[field] = /^-?\d+$/.test(text) ? Number(text) : text;
          else value[field] = text;
        });
        // An empty in point means the start of the media.
        if (value.inMs === null) delete value.inMs;
        raw.push({ where: `line ${row.line}`, value });
      }
    }

    const items: ImportItem[] = [];
    const refs = new Map<number, ImportItem>();
    for (const { where, value } of raw) {
      const parsed = ImportItemSchema.safeParse(value);
      if (!parsed.success) {
        const issues = parsed.error.issues.map(
          (i) => `${i.path.map(String).join('.') || 'row'}: ${i.message}`,
        );
        errors.push(`${where}: ${issues.join('; ')}`);
        continue;
      }
      const item = parsed.data;
      const problems: string[] = [];
      if (refs.has(item.ref)) problems.push(`ref ${item.ref} is used twice`);
      let startsAt = item.startsAt;
      if (item.startsAtUtc !== null) {
        const ms = ISO_UTC.test(item.startsAtUtc) ? Date.parse(item.startsAtUtc) : NaN;
        if (Number.isNaN(ms))
          problems.push(
            `starts_at_utc “${item.startsAtUtc}” is not an ISO UTC time (2025-03-30T01:00:00.000Z)`,
          );
        else if (startsAt !== null && ms !== startsAt)
          problems.push(`starts_at_utc (${ms}) and starts_at_ms (${startsAt}) disagree`);
        else startsAt = ms;
      }
      if (item.parentRef === null && startsAt === null)
        problems.push('a start is needed (starts_at_utc or starts_at_ms)');
      if (item.parentRef !== null) {
        const parent = refs.get(item.parentRef);
        if (!parent || parent.parentRef !== null)
          problems.push(`parent_ref ${item.parentRef} is not an earlier programme row`);
        if (item.kind !== 'break') problems.push('only a break can have a parent_ref');
        if (item.offsetMs === null) problems.push('a break inside a programme needs offset_ms');
        else if (parent && item.offsetMs > parent.durationMs)
          problems.push(
            `offset_ms ${item.offsetMs} is past the programme's ${parent.durationMs} ms`,
          );
      } else if (item.offsetMs !== null)
        problems.push('offset_ms is only for a break inside a programme');
      if (item.kind === 'asset') {
        if (item.assetId === null) problems.push('an asset row needs asset_id');
        else {
          const asset = assetDurations.get(item.assetId);
          if (!asset) problems.push(`asset ${item.assetId} does not exist`);
          else if (asset.duration_ms !== null && item.inMs + item.durationMs > asset.duration_ms) {
            problems.push(
              `in_ms + duration_ms (${item.inMs + item.durationMs}) is past the end of asset ${item.assetId} (${asset.duration_ms} ms)`,
            );
          }
        }
      } else if (item.assetId !== null) problems.push('a break has no asset_id');
      if (problems.length > 0) errors.push(`${where}: ${problems.join('; ')}`);
      else {
        const clean = { ...item, startsAt };
        refs.set(item.ref, clean);
        items.push(clean);
      }
    }
    if (errors.length > 0) {
      const shown = errors.slice(0, MAX_ERRORS);
      if (errors.length > MAX_ERRORS) shown.push(`… and ${errors.length - MAX_ERRORS} more`);
      throw new AppError(
        'invalid_request',
        `The import has ${errors.length} bad row(s), nothing was changed:\n${shown.join('\n')}`,
      );
    }
    return { items, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  }

  function importSchedule(req: ParsedRequest<'scheduleImport'>) {
    const file = parse(req);
    return engine.run(() => {
      const ops: EngineOp[] = [];
      const tops = file.items.filter((i) => i.parentRef === null);
      const from =
        req.from ??
        file.from ??
        (tops.length > 0 ? Math.min(...tops.map((t) => t.startsAt ?? 0)) : undefined);
      const to =
        req.to ??
        file.to ??
        (tops.length > 0 ? Math.max(...tops.map((t) => (t.startsAt ?? 0) + 1)) : undefined);
      if (req.mode === 'replace-range' && from !== undefined && to !== undefined) {
        for (const row of topStarting.all(req.channelId, from, to))
          ops.push({ op: 'delete', id: row.id });
        const outside = tops.find((t) => (t.startsAt ?? 0) < from || (t.startsAt ?? 0) >= to);
        if (outside) {
          throw new AppError(
            'invalid_request',
            `Row ref ${outside.ref} starts outside the range being replaced.`,
          );
        }
      }
      for (const item of file.items) {
        ops.push({
          op: 'create',
          key: `r${item.ref}`,
          ...(item.parentRef !== null ? { parentKey: `r${item.parentRef}` } : {}),
          item: {
            channelId: req.channelId,
            kind: item.kind,
            assetId: item.assetId,
            parentItemId: null,
            offsetMs: item.offsetMs,
            startsAt: item.startsAt ?? 0,
            durationMs: item.durationMs,
            inMs: item.inMs,
            title: item.title,
            category: item.category,
          },
        });
      }
      return { ops };
    });
  }

  return { exportSchedule, importSchedule };
}
