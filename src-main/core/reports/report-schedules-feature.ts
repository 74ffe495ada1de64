// Scheduled reports: a named template run daily or weekly at a time of day in the station's
// zone, written to a folder or a storage location. Due schedules are looked for on every tick
// of the core's clock (a handful of records, read from memory-sized JSON), so a test clock that
// jumps drives them like real time. A schedule that came due while the core was stopped runs
// once on start, however many times it was missed, and is then planned from now.
import type { ReportSchedule } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { callerPrincipal } from '../rpc/caller';
import type { ReportRunner } from './report-runner';
import type { ReportStore } from './report-store';
import { reportFileName, type ReportDelivery } from './report-targets';
import { nextRunAfter, periodBefore } from './schedule-times';

export type ReportSchedulesMethod =
  'reportSchedulesList' | 'reportScheduleSave' | 'reportScheduleDelete' | 'reportScheduleRunNow';

export function createReportSchedulesFeature(
  context: CoreContext,
  deps: { store: ReportStore; runner: ReportRunner; delivery: ReportDelivery },
): Feature<ReportSchedulesMethod> {
  const { bus, clock, settings, logger } = context;
  const { store, runner, delivery } = deps;
  const zone = () => settings.get().timeZone;
  const changed = () => bus.emit('reportsChanged', { what: 'schedules' });
  let stopTicks: (() => void) | undefined;
  // Scheduled runs one after another: two big reports at once would only both be slow.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const needTemplate = (id: number) => {
    const template = store.templates().find((t) => t.id === id);
    if (!template) throw new AppError('not_found', `Report template ${id} does not exist.`);
    return template;
  };

  /** Starts one run of a schedule as of `at`; resolves once it has finished (ok or failed). */
  function start(schedule: ReportSchedule, at: number, by: string) {
    const template = needTemplate(schedule.templateId);
    const request = {
      ...periodBefore(at, zone(), template.periodDays),
      personIds: template.personIds,
      sourceIds: template.sourceIds,
      format: template.format,
      title: template.title || template.name,
    };
    const fileName = reportFileName(template.name, at, zone(), template.format);
    const started = runner.run(request, {
      byName: by,
      scheduleId: schedule.id,
      deliver: (file) => delivery.deliver(schedule.target, fileName, file),
    });
    // The failure is in the history (with its message); nobody else awaits this promise.
    const finished = started.done.then(
      () => undefined,
      (error: unknown) =>
        logger.warn(
          `scheduled report ${schedule.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    return { runId: started.runId, finished };
  }

  function tick(now: number) {
    if (closed) return;
    for (const schedule of store.schedules()) {
      if (!schedule.enabled || schedule.nextRunAt === null || schedule.nextRunAt > now) continue;
      // Planned from now, not from the missed slot: a long stop gives one run, not a backlog.
      store.patchSchedule(schedule.id, {
        nextRunAt: nextRunAfter(schedule, zone(), now),
        lastRunAt: now,
      });
      changed();
      queue = queue.then(() => {
        if (closed) return;
        try {
          return start(schedule, now, 'Schedule').finished;
        } catch (error) {
          // The template went away between the check and the run.
          logger.error(`scheduled report ${schedule.id} could not start`, error);
        }
      });
    }
  }

  return {
    start() {
      tick(clock.now());
      stopTicks = bus.on('clockTick', ({ now }) => tick(now));
    },
    async close() {
      closed = true;
      stopTicks?.();
      await queue.catch(() => undefined);
    },
    handlers: {
      reportSchedulesList: () => ({ schedules: store.schedules() }),
      reportScheduleSave: (input) => {
        const { id, ...fields } = input;
        needTemplate(fields.templateId);
        const current = id === undefined ? undefined : store.schedule(id);
        if (id !== undefined && !current)
          throw new AppError('not_found', `Report schedule ${id} does not exist.`);
        delivery.check(fields.target);
        const weekday = fields.frequency === 'weekly' ? fields.weekday : null;
        const saved = store.saveSchedule({
          ...fields,
          weekday,
          ...(id !== undefined ? { id } : {}),
          nextRunAt: fields.enabled
            ? nextRunAfter({ ...fields, weekday }, zone(), clock.now())
            : null,
          lastRunAt: current?.lastRunAt ?? null,
        });
        changed();
        return saved;
      },
      reportScheduleDelete: ({ id }) => {
        if (!store.deleteSchedule(id))
          throw new AppError('not_found', `Report schedule ${id} does not exist.`);
        changed();
        return { id };
      },
      reportScheduleRunNow: ({ id }, caller) => {
        const schedule = store.schedule(id);
        if (!schedule) throw new AppError('not_found', `Report schedule ${id} does not exist.`);
        const by = callerPrincipal(caller)?.displayName ?? 'Airdeck';
        return { runId: start(schedule, clock.now(), by).runId };
      },
    },
  };
}
