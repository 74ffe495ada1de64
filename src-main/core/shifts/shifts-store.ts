// Shifts, series, templates, time off and settings as stored (migration 0013).
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import {
  SeriesExceptionSchema,
  type SeriesException,
  type Shift,
  type ShiftKind,
  type ShiftSeries,
  type ShiftSeriesFields,
  type ShiftSettings,
  type ShiftTemplate,
  type TimeOff,
} from '../../../src-shared/contract';

/** The longest a single shift may run (the contract refuses longer): bounds range reads. */
const LONGEST_SHIFT_MS = 2 * 86_400_000;
const Ids = z.array(z.number().int().positive());
const Exceptions = z.array(SeriesExceptionSchema);

/** Stored JSON written by this code always parses; anything else reads as empty, not a crash. */
function ids(text: string): number[] {
  const parsed = Ids.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : [];
}

type ShiftRow = {
  id: number;
  person_id: number;
  start_at: number;
  end_at: number;
  kind: ShiftKind;
  channel_ids: string;
  source_ids: string;
  note: string;
};
type SeriesRow = Omit<ShiftRow, 'start_at' | 'end_at'> & {
  rrule: string;
  start_date: string;
  start_time: string;
  duration_minutes: number;
  exceptions: string;
};
type TimeOffRow = {
  id: number;
  person_id: number;
  start_at: number;
  end_at: number;
  reason: string;
};
/** The plan settings kept in `shift_settings` (the outside-shift rule is a key/value). */
type StoredSettings = Omit<ShiftSettings, 'allowWorkOutsideShift'>;
type SettingsRow = {
  min_rest_minutes: number;
  cover_channel_ids: string;
  cover_source_ids: string;
  stats_retention_days: number;
};

export type ShiftInput = {
  personId: number;
  start: number;
  end: number;
  kind: ShiftKind;
  channelIds: number[];
  sourceIds: number[];
  note: string;
};

const toShift = (r: ShiftRow): Shift => ({
  key: `shift:${r.id}`,
  shiftId: r.id,
  seriesId: null,
  occurrenceStart: null,
  personId: r.person_id,
  start: r.start_at,
  end: r.end_at,
  kind: r.kind,
  channelIds: ids(r.channel_ids),
  sourceIds: ids(r.source_ids),
  note: r.note,
});

const toSeries = (r: SeriesRow): ShiftSeries => {
  const exceptions = Exceptions.safeParse(JSON.parse(r.exceptions));
  return {
    id: r.id,
    personId: r.person_id,
    rrule: r.rrule,
    startDate: r.start_date,
    startTime: r.start_time,
    durationMinutes: r.duration_minutes,
    kind: r.kind,
    channelIds: ids(r.channel_ids),
    sourceIds: ids(r.source_ids),
    note: r.note,
    exceptions: exceptions.success ? exceptions.data : [],
  };
};

export function createShiftsStore(db: Database, now: () => number) {
  const shiftsIn = db.prepare<[number, number, number], ShiftRow>(
    'SELECT * FROM shifts WHERE start_at >= ? AND start_at < ? AND end_at > ? ORDER BY start_at, id',
  );
  const shiftById = db.prepare<[number], ShiftRow>('SELECT * FROM shifts WHERE id = ?');
  const insertShift = db.prepare(
    `INSERT INTO shifts (person_id, start_at, end_at, kind, channel_ids, source_ids, note, created_by, updated_at)
     VALUES (@personId, @start, @end, @kind, @channelIds, @sourceIds, @note, @by, @now)`,
  );
  const updateShift = db.prepare(
    `UPDATE shifts SET person_id = @personId, start_at = @start, end_at = @end, kind = @kind,
       channel_ids = @channelIds, source_ids = @sourceIds, note = @note, updated_at = @now WHERE id = @id`,
  );
  const deleteShift = db.prepare<[number]>('DELETE FROM shifts WHERE id = ?');
  const allSeries = db.prepare<[], SeriesRow>('SELECT * FROM shift_series ORDER BY id');
  const seriesById = db.prepare<[number], SeriesRow>('SELECT * FROM shift_series WHERE id = ?');
  const insertSeries = db.prepare(
    `INSERT INTO shift_series (person_id, rrule, start_date, start_time, duration_minutes, kind,
       channel_ids, source_ids, note, created_by, updated_at)
     VALUES (@personId, @rrule, @startDate, @startTime, @durationMinutes, @kind, @channelIds,
       @sourceIds, @note, @by, @now)`,
  );
  const updateSeries = db.prepare(
    `UPDATE shift_series SET person_id = @personId, rrule = @rrule, start_date = @startDate,
       start_time = @startTime, duration_minutes = @durationMinutes, kind = @kind,
       channel_ids = @channelIds, source_ids = @sourceIds, note = @note, updated_at = @now
     WHERE id = @id`,
  );
  const setExceptions = db.prepare<[string, number, number]>(
    'UPDATE shift_series SET exceptions = ?, updated_at = ? WHERE id = ?',
  );
  const deleteSeries = db.prepare<[number]>('DELETE FROM shift_series WHERE id = ?');
  const templates = db.prepare<
    [],
    { id: number; name: string; kind: ShiftKind; start_time: string; duration_minutes: number }
  >('SELECT * FROM shift_templates ORDER BY start_time, name');
  const templateByName = db.prepare<[string], { id: number }>(
    'SELECT id FROM shift_templates WHERE name = ? COLLATE NOCASE',
  );
  const insertTemplate = db.prepare(
    'INSERT INTO shift_templates (name, kind, start_time, duration_minutes) VALUES (@name, @kind, @startTime, @durationMinutes)',
  );
  const updateTemplate = db.prepare(
    'UPDATE shift_templates SET name = @name, kind = @kind, start_time = @startTime, duration_minutes = @durationMinutes WHERE id = @id',
  );
  const deleteTemplate = db.prepare<[number]>('DELETE FROM shift_templates WHERE id = ?');
  const timeOffIn = db.prepare<[number, number], TimeOffRow>(
    'SELECT * FROM time_off WHERE start_at < ? AND end_at > ? ORDER BY start_at, id',
  );
  const insertTimeOff = db.prepare(
    `INSERT INTO time_off (person_id, start_at, end_at, reason, created_by, created_at)
     VALUES (@personId, @start, @end, @reason, @by, @now)`,
  );
  const timeOffById = db.prepare<[number], TimeOffRow>('SELECT * FROM time_off WHERE id = ?');
  const deleteTimeOff = db.prepare<[number]>('DELETE FROM time_off WHERE id = ?');
  const settings = db.prepare<[], SettingsRow>('SELECT * FROM shift_settings WHERE id = 1');
  const saveSettings = db.prepare(
    `UPDATE shift_settings SET min_rest_minutes = @minRestMinutes, cover_channel_ids = @channels,
       cover_source_ids = @sources, stats_retention_days = @statsRetentionDays WHERE id = 1`,
  );
  const people = db.prepare<[], { id: number; display_name: string; disabled: number }>(
    'SELECT id, display_name, disabled FROM people',
  );
  const personExists = db.prepare<[number], { id: number }>('SELECT id FROM people WHERE id = ?');

  const shiftParams = (s: ShiftInput, by: number | null) => ({
    ...s,
    channelIds: JSON.stringify(s.channelIds),
    sourceIds: JSON.stringify(s.sourceIds),
    by,
    now: now(),
  });
  const seriesParams = (s: ShiftSeriesFields, by: number | null) => ({
    ...s,
    channelIds: JSON.stringify(s.channelIds),
    sourceIds: JSON.stringify(s.sourceIds),
    by,
    now: now(),
  });

  return {
    shiftsOverlapping: (from: number, to: number): Shift[] =>
      shiftsIn.all(from - LONGEST_SHIFT_MS, to, from).map(toShift),
    shift: (id: number): Shift | undefined => {
      const row = shiftById.get(id);
      return row ? toShift(row) : undefined;
    },
    createShift: (s: ShiftInput, by: number | null) =>
      Number(insertShift.run(shiftParams(s, by)).lastInsertRowid),
    updateShift: (id: number, s: ShiftInput) =>
      updateShift.run({ ...shiftParams(s, null), id }).changes > 0,
    deleteShift: (id: number) => deleteShift.run(id).changes > 0,
    allSeries: (): ShiftSeries[] => allSeries.all().map(toSeries),
    series: (id: number): ShiftSeries | undefined => {
      const row = seriesById.get(id);
      return row ? toSeries(row) : undefined;
    },
    createSeries: (s: ShiftSeriesFields, by: number | null) =>
      Number(insertSeries.run(seriesParams(s, by)).lastInsertRowid),
    updateSeries: (id: number, s: ShiftSeriesFields) =>
      updateSeries.run({ ...seriesParams(s, null), id }).changes > 0,
    setExceptions: (id: number, exceptions: SeriesException[]) =>
      setExceptions.run(JSON.stringify(exceptions), now(), id).changes > 0,
    deleteSeries: (id: number) => deleteSeries.run(id).changes > 0,
    templates: (): ShiftTemplate[] =>
      templates.all().map((t) => ({
        id: t.id,
        name: t.name,
        kind: t.kind,
        startTime: t.start_time,
        durationMinutes: t.duration_minutes,
      })),
    templateIdByName: (name: string) => templateByName.get(name)?.id,
    saveTemplate: (t: Omit<ShiftTemplate, 'id'> & { id?: number | undefined }): number => {
      if (t.id === undefined) return Number(insertTemplate.run(t).lastInsertRowid);
      updateTemplate.run(t);
      return t.id;
    },
    deleteTemplate: (id: number) => deleteTemplate.run(id).changes > 0,
    timeOffOverlapping: (from: number, to: number): TimeOff[] =>
      timeOffIn.all(to, from).map((r) => ({
        id: r.id,
        personId: r.person_id,
        start: r.start_at,
        end: r.end_at,
        reason: r.reason,
      })),
    createTimeOff: (t: Omit<TimeOff, 'id'>, by: number | null) =>
      Number(insertTimeOff.run({ ...t, by, now: now() }).lastInsertRowid),
    timeOff: (id: number) => timeOffById.get(id),
    deleteTimeOff: (id: number) => deleteTimeOff.run(id).changes > 0,
    settings: (): StoredSettings => {
      const r = settings.get()!;
      return {
        minRestMinutes: r.min_rest_minutes,
        coverChannelIds: ids(r.cover_channel_ids),
        coverSourceIds: ids(r.cover_source_ids),
        statsRetentionDays: r.stats_retention_days,
      };
    },
    saveSettings: (s: StoredSettings) =>
      saveSettings.run({
        minRestMinutes: s.minRestMinutes,
        channels: JSON.stringify(s.coverChannelIds),
        sources: JSON.stringify(s.coverSourceIds),
        statsRetentionDays: s.statsRetentionDays,
      }),
    people: () => people.all(),
    personExists: (id: number) => personExists.get(id) !== undefined,
  };
}
export type ShiftsStore = ReturnType<typeof createShiftsStore>;
