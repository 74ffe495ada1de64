// One report run, by hand or on a schedule: a history row while it builds (with its progress as
// events, not history writes), the file, where it was delivered, and the row finished as done
// or failed with the error's message.
import type { ReportRequest } from '../../../src-shared/contract';
import type { Clock } from '../clock/clock';
import type { EventBus } from '../events/event-bus';
import type { ReportStore } from './report-store';

/** Builds the file; calls `progress` with 0–1 as it goes. */
export type BuildReport = (
  request: ReportRequest,
  progress: (f: number) => void,
) => Promise<Buffer>;

export type RunMeta = {
  byName: string;
  scheduleId: number | null;
  /** Writes the file somewhere; resolves with where (kept in the history). */
  deliver?: (file: Buffer) => Promise<string>;
};

export type ReportRunner = {
  run(
    request: ReportRequest,
    meta: RunMeta,
  ): { runId: number; done: Promise<{ file: Buffer; target: string | null }> };
};

/** Progress events at most this often per run (a 1,000-note report would send thousands). */
const PROGRESS_EVERY_MS = 200;
/** The share of a run spent building the file; the rest is delivering it. */
const BUILD_SHARE = 0.9;

export function createReportRunner(deps: {
  store: ReportStore;
  bus: EventBus;
  clock: Clock;
  build: BuildReport;
}): ReportRunner {
  const { store, bus, clock } = deps;
  const changed = () => bus.emit('reportsChanged', { what: 'history' });
  return {
    run(request, meta) {
      const run = store.startRun({
        title: request.title || 'Desk report',
        format: request.format,
        from: request.from,
        to: request.to,
        byName: meta.byName,
        startedAt: clock.now(),
        scheduleId: meta.scheduleId,
      });
      changed();
      let sentAt = 0;
      const progress = (fraction: number, force = false) => {
        const now = Date.now();
        if (!force && now - sentAt < PROGRESS_EVERY_MS) return;
        sentAt = now;
        bus.emit('reportProgress', {
          runId: run.id,
          progress: Math.min(1, Math.max(0, fraction)),
        });
      };
      const done = (async () => {
        try {
          progress(0, true);
          const file = await deps.build(request, (f) => progress(f * BUILD_SHARE));
          progress(BUILD_SHARE, true);
          const target = meta.deliver ? await meta.deliver(file) : null;
          progress(1, true);
          store.finishRun(run.id, {
            state: 'done',
            finishedAt: clock.now(),
            bytes: file.length,
            error: null,
            target,
          });
          return { file, target };
        } catch (error) {
          store.finishRun(run.id, {
            state: 'failed',
            finishedAt: clock.now(),
            bytes: null,
            error: error instanceof Error ? error.message : String(error),
          });
          throw error;
        } finally {
          changed();
        }
      })();
      return { runId: run.id, done };
    },
  };
}
