import type { RecordedSource, ReviewJob } from '../../../src-shared/contract';
import { mediaUrlWithToken } from '../../app/api/media';
import { EmptyState } from '../../ui';

/** Screenshots and clips of this desk's sources: queued, with progress, then view and download. */
export function JobsPanel({
  jobs,
  sources,
  formatTime,
}: {
  jobs: readonly ReviewJob[];
  sources: readonly RecordedSource[];
  formatTime(at: number): string;
}) {
  return (
    <section className="review-jobs" aria-labelledby="review-jobs-title">
      <h2 id="review-jobs-title" className="review__side-title">
        Screenshots and clips
      </h2>
      {jobs.length === 0 ? (
        <EmptyState title="None yet">Press S for a screenshot, C for a clip.</EmptyState>
      ) : (
        <ul className="review-jobs__list">
          {jobs.map((job) => {
            const source = sources.find((s) => s.id === job.sourceId);
            const file = mediaUrlWithToken(`/review/jobs/${job.id}/file`);
            const what = job.kind === 'clip' ? 'Clip' : 'Screenshot';
            const when =
              job.kind === 'clip'
                ? `${formatTime(job.fromAt)}–${formatTime(job.toAt)}`
                : formatTime(job.fromAt);
            return (
              <li
                key={job.id}
                className="review-jobs__item"
                data-testid="review-job"
                data-kind={job.kind}
                data-state={job.state}
              >
                <span className="review-jobs__what">
                  {what} · {source?.name ?? `source ${job.sourceId}`} · {when}
                </span>
                {job.state === 'done' ? (
                  <span className="review-jobs__links">
                    <a href={file} target="_blank" rel="noreferrer" data-testid="review-job-view">
                      View
                    </a>
                    <a href={file} download data-testid="review-job-download">
                      Download
                    </a>
                  </span>
                ) : job.state === 'failed' ? (
                  <span className="review-jobs__failed">
                    Failed: {job.error ?? 'unknown error'}
                  </span>
                ) : (
                  <progress
                    max={1}
                    value={job.state === 'queued' ? undefined : job.progress}
                    aria-label={`${what} ${job.state === 'queued' ? 'queued' : 'progress'}`}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
