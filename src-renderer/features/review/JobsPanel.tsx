import type {
  ClipDelivery,
  ClipTarget,
  RecordedSource,
  ReviewJob,
} from '../../../src-shared/contract';
import { mediaUrlWithToken } from '../../app/api/media';
import { Button, DropdownMenu, EmptyState } from '../../ui';

type Entry = { batchId: number; jobs: ReviewJob[] } | { batchId: null; jobs: [ReviewJob] };

/** Jobs in list order, the clips of one batch together under the batch's first place. */
export function groupJobs(jobs: readonly ReviewJob[]): Entry[] {
  const entries: Entry[] = [];
  const batches = new Map<number, ReviewJob[]>();
  for (const job of jobs) {
    if (job.batchId === null) {
      entries.push({ batchId: null, jobs: [job] });
      continue;
    }
    const held = batches.get(job.batchId);
    if (held) held.push(job);
    else {
      const list = [job];
      batches.set(job.batchId, list);
      entries.push({ batchId: job.batchId, jobs: list });
    }
  }
  for (const list of batches.values()) list.sort((a, b) => a.sourceId - b.sourceId);
  return entries;
}

const DELIVERY_WORDS: Record<ClipDelivery['state'], string> = {
  queued: 'waiting',
  running: 'sending',
  done: 'delivered',
  failed: 'failed',
};

export type JobsPanelProps = {
  jobs: readonly ReviewJob[];
  sources: readonly RecordedSource[];
  deliveries: readonly ClipDelivery[];
  targets: readonly ClipTarget[];
  canEdit: boolean;
  formatTime(at: number): string;
  onDeliver(jobId: number, targetId: number): void;
  onRetry(deliveryId: number): void;
};

/**
 * Screenshots and clips of this desk's sources: queued, with progress, then view and download;
 * clips of several tiles as one batch; each clip's deliveries with their state, error and retry.
 */
export function JobsPanel(props: JobsPanelProps) {
  const { jobs, sources, formatTime } = props;
  return (
    <section className="review-jobs" aria-labelledby="review-jobs-title">
      <h2 id="review-jobs-title" className="review__side-title">
        Screenshots and clips
      </h2>
      {jobs.length === 0 ? (
        <EmptyState title="None yet">
          Press S for a screenshot, C for a clip, A to clip all locked tiles.
        </EmptyState>
      ) : (
        <ul className="review-jobs__list">
          {groupJobs(jobs).map((entry) =>
            entry.batchId === null ? (
              <JobItem key={entry.jobs[0].id} job={entry.jobs[0]} {...props} />
            ) : (
              <li
                key={`batch-${entry.batchId}`}
                className="review-jobs__batch"
                data-testid="review-batch"
                data-state={batchState(entry.jobs)}
              >
                <span className="review-jobs__what">
                  Clips of {sourcesWord(entry.jobs.length)} · {formatTime(entry.jobs[0]!.fromAt)}–
                  {formatTime(entry.jobs[0]!.toAt)}
                </span>
                {batchState(entry.jobs) === 'done' ? (
                  <span className="review-jobs__done">All {entry.jobs.length} done</span>
                ) : (
                  <progress
                    max={1}
                    value={entry.jobs.reduce((sum, j) => sum + j.progress, 0) / entry.jobs.length}
                    aria-label={`Clips of ${sourcesWord(entry.jobs.length)}: progress`}
                  />
                )}
                <ul className="review-jobs__list" aria-label="Clips of the batch">
                  {entry.jobs.map((job) => (
                    <JobItem
                      key={job.id}
                      job={job}
                      {...props}
                      sourceLabel={sources.find((s) => s.id === job.sourceId)?.name}
                    />
                  ))}
                </ul>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

const sourcesWord = (n: number) => `${n} source${n === 1 ? '' : 's'}`;

function batchState(jobs: readonly ReviewJob[]): ReviewJob['state'] {
  if (jobs.some((j) => j.state === 'failed')) return 'failed';
  if (jobs.every((j) => j.state === 'done')) return 'done';
  return jobs.some((j) => j.state !== 'queued') ? 'running' : 'queued';
}

function JobItem({
  job,
  sources,
  deliveries,
  targets,
  canEdit,
  formatTime,
  onDeliver,
  onRetry,
  sourceLabel,
}: JobsPanelProps & { job: ReviewJob; sourceLabel?: string | undefined }) {
  const source = sources.find((s) => s.id === job.sourceId);
  const file = mediaUrlWithToken(`/review/jobs/${job.id}/file`);
  const what = job.kind === 'clip' ? 'Clip' : 'Screenshot';
  const when =
    job.kind === 'clip'
      ? `${formatTime(job.fromAt)}–${formatTime(job.toAt)}`
      : formatTime(job.fromAt);
  const mine = deliveries.filter((d) => d.jobId === job.id);
  return (
    <li
      className="review-jobs__item"
      data-testid="review-job"
      data-kind={job.kind}
      data-state={job.state}
    >
      <span className="review-jobs__what">
        {sourceLabel !== undefined
          ? sourceLabel
          : `${what} · ${source?.name ?? `source ${job.sourceId}`} · ${when}`}
      </span>
      {job.state === 'done' ? (
        <span className="review-jobs__links">
          <a href={file} target="_blank" rel="noreferrer" data-testid="review-job-view">
            View
          </a>
          <a href={file} download data-testid="review-job-download">
            Download
          </a>
          {job.kind === 'clip' && canEdit && targets.length > 0 && (
            <DropdownMenu
              label={`Deliver clip ${job.id} to`}
              testId="review-deliver-menu"
              trigger={
                <Button size="sm" data-testid="review-deliver">
                  Deliver…
                </Button>
              }
              items={targets.map((t) => ({
                label: `${t.name} (${t.kind === 's3' ? 'storage' : 'folder'})`,
                onSelect: () => onDeliver(job.id, t.id),
              }))}
            />
          )}
        </span>
      ) : job.state === 'failed' ? (
        <span className="review-jobs__failed">Failed: {job.error ?? 'unknown error'}</span>
      ) : (
        <progress
          max={1}
          value={job.state === 'queued' ? undefined : job.progress}
          aria-label={`${what} ${job.state === 'queued' ? 'queued' : 'progress'}`}
        />
      )}
      {mine.length > 0 && (
        <ul className="review-jobs__deliveries" aria-label={`Deliveries of clip ${job.id}`}>
          {mine.map((d) => (
            <li
              key={d.id}
              className="review-jobs__delivery"
              data-testid="review-delivery"
              data-state={d.state}
            >
              <span>
                → {d.targetName}: {DELIVERY_WORDS[d.state]}
                {d.state === 'failed' && d.error ? ` (${d.error})` : ''}
              </span>
              {d.state === 'failed' && canEdit && (
                <Button
                  size="sm"
                  onClick={() => onRetry(d.id)}
                  data-testid="review-delivery-retry"
                  aria-label={`Retry delivery to ${d.targetName}`}
                >
                  Retry
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
