// Shift planning, desk statistics and reports as a core feature. The plan is read whole for a
// window (single shifts, expanded series, time off) and checked for conflicts on every read:
// the checks are pure and fast, so nothing stale is ever cached.
import type { DeskEvent } from '../../../src-shared/stats/desk-events';
import { minuteTable, MINUTE_MS } from '../../../src-shared/stats/minute-table';
import { findConflicts } from '../../../src-shared/shifts/conflicts';
import { expandSeries, ruleProblem } from '../../../src-shared/shifts/recurrence';
import type {
  HandoverNote,
  MyShift,
  ReportRequest,
  ShiftSeriesFields,
  ShiftSettings,
} from '../../../src-shared/contract';
import { z } from 'zod';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { callerPrincipal, type Caller } from '../rpc/caller';
import { buildReportData, type ReportNote } from '../reports/report-data';
import { reportMimeTypes, writeReport } from '../reports/report-files';
import { createImageShrinker } from '../reports/shrink-image';
import { createReportRunner, type ReportRunner } from '../reports/report-runner';
import { createKeyValue, createReportStore, type ReportStore } from '../reports/report-store';
import { createShiftsStore, type ShiftInput } from './shifts-store';
import { createStatsStore } from './stats-store';

export type ShiftsMethod =
  | 'shiftsRange'
  | 'shiftCreate'
  | 'shiftUpdate'
  | 'shiftDelete'
  | 'shiftSeriesCreate'
  | 'shiftSeriesUpdate'
  | 'shiftSeriesDelete'
  | 'shiftSeriesException'
  | 'shiftTemplatesList'
  | 'shiftTemplateSave'
  | 'shiftTemplateDelete'
  | 'timeOffCreate'
  | 'timeOffDelete'
  | 'shiftSettingsGet'
  | 'shiftSettingsSet'
  | 'statsMinutes'
  | 'reportBuild'
  | 'myShift'
  | 'statsBuckets'
  | 'reportTemplatesList'
  | 'reportTemplateSave'
  | 'reportTemplateDelete'
  | 'reportHistory';

/** Where report notes come from: the review desk plugs its notes in when it lands. */
export type NotesSource = (query: {
  from: number;
  to: number;
  personIds: readonly number[] | null;
  sourceIds: readonly number[] | null;
}) => ReportNote[];

export type StatsApi = {
  /**
   * Aggregates a desk log covering [from, to) and stores its minutes, replacing what was stored
   * for that window (so a window can be recomputed whenever its log grows).
   */
  record(events: readonly DeskEvent[], from: number, to: number): void;
  setNotesSource(source: NotesSource): void;
  /** Drops statistics older than the retention setting; returns the rows removed. */
  purge(): number;
  /** How many days statistics (and the raw desk log behind them) are kept. */
  retentionDays(): number;
};

const IDLE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead "my shift" looks for the next one when none is running. */
const NEXT_SHIFT_HORIZON_MS = 7 * DAY_MS;
const OUTSIDE_SHIFT_KEY = 'shifts.allowWorkOutsideShift';

/** What the shifts feature reads from chat: the current handover note of a channel. */
export type ShiftsDeps = { handoverNote(channelId: number): HandoverNote | null };

const by = (caller: Caller) => callerPrincipal(caller)?.personId ?? null;

export function createShiftsFeature(
  context: CoreContext,
  deps: ShiftsDeps,
): Feature<ShiftsMethod> & {
  stats: StatsApi;
  /** Report templates and history, and the runner scheduled reports share with reportBuild. */
  reports: { store: ReportStore; runner: ReportRunner };
} {
  const { db, bus, clock, settings } = context;
  const store = createShiftsStore(db, () => clock.now());
  const statsStore = createStatsStore(db);
  const kv = createKeyValue(db, () => clock.now());
  const reports = createReportStore(kv);
  const shrinkImage = createImageShrinker(context.ffmpeg);
  const channelNames = db.prepare<[], { id: number; name: string }>(
    'SELECT id, name FROM channels',
  );
  const sourceNames = db.prepare<[], { id: number; name: string }>(
    'SELECT id, name FROM recorded_sources',
  );
  const planSettings = (): ShiftSettings => ({
    ...store.settings(),
    allowWorkOutsideShift: kv.read(OUTSIDE_SHIFT_KEY, z.boolean(), true),
  });
  const reportsChanged = (what: 'templates' | 'history') => bus.emit('reportsChanged', { what });
  let notesSource: NotesSource = () => [];
  let purgeTimer: NodeJS.Timeout | undefined;

  const changed = (what: 'shifts' | 'templates' | 'timeOff' | 'settings') =>
    bus.emit('shiftsChanged', { what });
  const zone = () => settings.get().timeZone;
  const needPerson = (id: number) => {
    if (!store.personExists(id)) throw new AppError('not_found', `Person ${id} does not exist.`);
  };
  const checkRule = (s: ShiftSeriesFields) => {
    needPerson(s.personId);
    const problem = ruleProblem(s.rrule);
    if (problem)
      throw new AppError('invalid_request', `The recurrence rule is not valid: ${problem}`);
  };
  const needSeries = (id: number) => {
    const s = store.series(id);
    if (!s) throw new AppError('not_found', `Series ${id} does not exist.`);
    return s;
  };

  function range(from: number, to: number) {
    const series = store.allSeries();
    const shifts = [
      ...store.shiftsOverlapping(from, to),
      ...series.flatMap((s) => expandSeries(s, zone(), from, to)),
    ].sort((a, b) => a.start - b.start || a.personId - b.personId);
    const timeOff = store.timeOffOverlapping(from, to);
    const plan = planSettings();
    const people = new Map(store.people().map((p) => [p.id, { disabled: p.disabled === 1 }]));
    const conflicts = findConflicts({
      window: { start: from, end: to },
      shifts,
      timeOff,
      people,
      minRestMs: plan.minRestMinutes * MINUTE_MS,
      coverChannelIds: plan.coverChannelIds,
      coverSourceIds: plan.coverSourceIds,
    });
    const used = new Set(shifts.map((s) => s.seriesId));
    return { shifts, series: series.filter((s) => used.has(s.id)), timeOff, conflicts };
  }

  async function buildReport(
    request: ReportRequest,
    progress: (fraction: number) => void,
  ): Promise<Buffer> {
    const names = new Map(store.people().map((p) => [p.id, p.display_name]));
    const sources = new Map(sourceNames.all().map((s) => [s.id, s.name]));
    const onlySources = request.sourceIds ? new Set(request.sourceIds) : null;
    const data = buildReportData({
      title: request.title,
      zone: zone(),
      from: request.from,
      to: request.to,
      generatedAt: clock.now(),
      people: statsStore.people(request.from, request.to, request.personIds),
      sources: statsStore
        .sources(request.from, request.to)
        .filter((s) => !onlySources || onlySources.has(s.sourceId)),
      notes: notesSource(request),
      personName: (id) => names.get(id) ?? `Person ${id}`,
      sourceName: (id) => sources.get(id) ?? `Source ${id}`,
    });
    progress(0.1);
    return writeReport(data, request.format, (f) => progress(0.1 + f * 0.9), shrinkImage);
  }
  const runner = createReportRunner({ store: reports, bus, clock, build: buildReport });

  function myShift(personId: number): MyShift {
    const now = clock.now();
    const mine = range(now, now + NEXT_SHIFT_HORIZON_MS).shifts.filter(
      (s) => s.personId === personId && s.end > now,
    );
    const shift = mine.find((s) => s.start <= now) ?? mine[0] ?? null;
    const channels = new Map(channelNames.all().map((c) => [c.id, c.name]));
    const sources = new Map(sourceNames.all().map((s) => [s.id, s.name]));
    const named = (ids: readonly number[], names: Map<number, string>, what: string) =>
      ids.map((id) => ({ id, name: names.get(id) ?? `${what} ${id}` }));
    const handover = (shift?.channelIds ?? []).flatMap((channelId) => {
      const note = deps.handoverNote(channelId);
      return note
        ? [
            {
              channelId,
              channelName: channels.get(channelId) ?? `Channel ${channelId}`,
              text: note.text,
              authorName: note.authorName,
              at: note.at,
            },
          ]
        : [];
    });
    return {
      now,
      onShift: shift !== null && shift.start <= now,
      shift,
      channels: named(shift?.channelIds ?? [], channels, 'Channel'),
      sources: named(shift?.sourceIds ?? [], sources, 'Source'),
      handover: handover.sort((a, b) => b.at - a.at),
      allowWorkOutsideShift: planSettings().allowWorkOutsideShift,
    };
  }

  const stats: StatsApi = {
    record(events, from, to) {
      const table = minuteTable(events, { idleMs: IDLE_MS, until: to });
      const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
      const end = Math.ceil(to / MINUTE_MS) * MINUTE_MS;
      statsStore.replaceWindow(start, end, table.people, table.sources);
      bus.emit('statsChanged', { from: start, to: end });
    },
    setNotesSource(source) {
      notesSource = source;
    },
    purge() {
      return statsStore.purge(clock.now() - store.settings().statsRetentionDays * DAY_MS);
    },
    retentionDays: () => store.settings().statsRetentionDays,
  };

  return {
    stats,
    reports: { store: reports, runner },
    start() {
      // A report still "building" was cut short by a stop: say so rather than spin forever.
      for (const run of reports.runs())
        if (run.state === 'building')
          reports.finishRun(run.id, {
            state: 'failed',
            finishedAt: clock.now(),
            bytes: null,
            error: 'Interrupted by a restart.',
          });
      stats.purge();
      purgeTimer = setInterval(() => stats.purge(), 6 * 3_600_000);
      purgeTimer.unref();
    },
    close() {
      clearInterval(purgeTimer);
      return Promise.resolve();
    },
    handlers: {
      shiftsRange: ({ from, to }) => range(from, to),
      shiftCreate: (input, caller) => {
        needPerson(input.personId);
        const id = store.createShift(input as ShiftInput, by(caller));
        changed('shifts');
        return { id };
      },
      shiftUpdate: ({ id, ...input }) => {
        needPerson(input.personId);
        if (!store.updateShift(id, input))
          throw new AppError('not_found', `Shift ${id} does not exist.`);
        changed('shifts');
        return { id };
      },
      shiftDelete: ({ id }) => {
        if (!store.deleteShift(id)) throw new AppError('not_found', `Shift ${id} does not exist.`);
        changed('shifts');
        return { id };
      },
      shiftSeriesCreate: (input, caller) => {
        checkRule(input);
        const id = store.createSeries(input, by(caller));
        changed('shifts');
        return { id };
      },
      shiftSeriesUpdate: ({ id, ...input }) => {
        checkRule(input);
        if (!store.updateSeries(id, input))
          throw new AppError('not_found', `Series ${id} does not exist.`);
        changed('shifts');
        return { id };
      },
      shiftSeriesDelete: ({ id }) => {
        if (!store.deleteSeries(id))
          throw new AppError('not_found', `Series ${id} does not exist.`);
        changed('shifts');
        return { id };
      },
      shiftSeriesException: ({ seriesId, occurrenceStart, exception }) => {
        const series = needSeries(seriesId);
        if (exception && exception.occurrenceStart !== occurrenceStart)
          throw new AppError('invalid_request', 'The exception names another occurrence.');
        if (exception?.kind === 'move' && exception.personId !== undefined)
          needPerson(exception.personId);
        const rest = series.exceptions.filter((e) => e.occurrenceStart !== occurrenceStart);
        store.setExceptions(seriesId, exception ? [...rest, exception] : rest);
        changed('shifts');
        return { id: seriesId };
      },
      shiftTemplatesList: () => ({ templates: store.templates() }),
      shiftTemplateSave: (input) => {
        const clash = store.templateIdByName(input.name);
        if (clash !== undefined && clash !== input.id)
          throw new AppError('conflict', `A template named "${input.name}" already exists.`);
        if (input.id !== undefined && !store.templates().some((t) => t.id === input.id))
          throw new AppError('not_found', `Template ${input.id} does not exist.`);
        const id = store.saveTemplate(input);
        changed('templates');
        return store.templates().find((t) => t.id === id)!;
      },
      shiftTemplateDelete: ({ id }) => {
        if (!store.deleteTemplate(id))
          throw new AppError('not_found', `Template ${id} does not exist.`);
        changed('templates');
        return { id };
      },
      timeOffCreate: (input, caller) => {
        needPerson(input.personId);
        const id = store.createTimeOff(input, by(caller));
        changed('timeOff');
        return { id, ...input };
      },
      timeOffDelete: ({ id }) => {
        if (!store.deleteTimeOff(id))
          throw new AppError('not_found', `Time off ${id} does not exist.`);
        changed('timeOff');
        return { id };
      },
      shiftSettingsGet: () => planSettings(),
      shiftSettingsSet: (patch) => {
        const next = { ...planSettings(), ...patch };
        store.saveSettings(next);
        kv.write(OUTSIDE_SHIFT_KEY, next.allowWorkOutsideShift);
        changed('settings');
        return next;
      },
      statsMinutes: ({ from, to, personIds }) => ({
        people: statsStore.people(from, to, personIds),
        sources: statsStore.sources(from, to),
      }),
      reportBuild: async (request, caller) => {
        const { done } = runner.run(request, {
          byName: callerPrincipal(caller)?.displayName ?? 'Airdeck',
          scheduleId: null,
        });
        const { file } = await done;
        const day = new Date(request.from).toISOString().slice(0, 10);
        return {
          fileName: `airdeck-report-${day}.${request.format}`,
          mimeType: reportMimeTypes[request.format],
          base64: file.toString('base64'),
        };
      },
      reportTemplatesList: () => ({ templates: reports.templates() }),
      reportTemplateSave: (input) => {
        const list = reports.templates();
        const clash = list.find((t) => t.name.toLowerCase() === input.name.toLowerCase());
        if (clash && clash.id !== input.id)
          throw new AppError('conflict', `A report template named "${input.name}" already exists.`);
        if (input.id !== undefined && !list.some((t) => t.id === input.id))
          throw new AppError('not_found', `Report template ${input.id} does not exist.`);
        const saved = reports.saveTemplate(input);
        reportsChanged('templates');
        return saved;
      },
      reportTemplateDelete: ({ id }) => {
        const scheduled = reports.schedules().filter((s) => s.templateId === id);
        if (scheduled.length > 0)
          throw new AppError(
            'conflict',
            `Report template ${id} is run by ${scheduled.length === 1 ? 'a schedule' : `${scheduled.length} schedules`}; delete ${scheduled.length === 1 ? 'it' : 'them'} first.`,
          );
        if (!reports.deleteTemplate(id))
          throw new AppError('not_found', `Report template ${id} does not exist.`);
        reportsChanged('templates');
        return { id };
      },
      reportHistory: () => ({ runs: reports.runs() }),
      statsBuckets: ({ edges }) => {
        const from = edges[0]!;
        const to = edges.at(-1)!;
        const presence = new Map<
          number,
          { personId: number; plannedMs: number; inShiftMs: number }
        >();
        for (const shift of range(from, to).shifts) {
          const start = Math.max(from, shift.start);
          const end = Math.min(to, shift.end);
          if (end <= start) continue;
          const p = presence.get(shift.personId) ?? {
            personId: shift.personId,
            plannedMs: 0,
            inShiftMs: 0,
          };
          p.plannedMs += end - start;
          p.inShiftMs += statsStore.signedIn(shift.personId, start, end);
          presence.set(shift.personId, p);
        }
        return { ...statsStore.buckets(edges), presence: [...presence.values()] };
      },
      myShift: (_request, caller) => {
        const me = by(caller);
        if (me === null) throw new AppError('unauthorized', 'Sign in first.');
        return myShift(me);
      },
    },
  };
}
