import { useShallow } from 'zustand/react/shallow';
import { describeState, formatBytes } from './format';
import { cancelUpload } from './upload';
import { clearFinishedUploads, isFinished, useUploads, type UploadEntry } from './upload-store';

function status(entry: UploadEntry): { text: string; tone: string } {
  switch (entry.status) {
    case 'waiting':
      return { text: 'Waiting', tone: 'queued' };
    case 'uploading':
      return {
        text: `Uploading ${Math.floor((entry.loaded / Math.max(1, entry.size)) * 100)}%`,
        tone: 'uploading',
      };
    case 'cancelled':
      return { text: 'Cancelled', tone: 'queued' };
    case 'failed':
      return { text: `Upload failed: ${entry.error ?? 'unknown error'}`, tone: 'failed' };
    case 'uploaded':
      return entry.asset
        ? { text: describeState(entry.asset), tone: entry.asset.state }
        : { text: 'Uploaded', tone: 'probing' };
  }
}

/** Files on their way in: bytes sent, then the asset's ingest state as the core reports it. */
export function UploadPanel() {
  const entries = useUploads(useShallow((store) => store.entries));
  if (entries.length === 0) return null;
  const active = entries.filter((e) => !isFinished(e)).length;
  return (
    <section className="upload-panel" aria-label="Uploads" data-testid="upload-panel">
      <header className="upload-panel__header">
        <h2 className="eyebrow">Uploads {active > 0 ? `· ${active} in progress` : '· done'}</h2>
        {entries.some(isFinished) && (
          <button
            type="button"
            className="tool-button"
            onClick={clearFinishedUploads}
            data-testid="uploads-clear"
          >
            Clear finished
          </button>
        )}
      </header>
      <ul className="upload-panel__list">
        {entries.map((entry) => {
          const { text, tone } = status(entry);
          const percent =
            entry.status === 'uploading'
              ? entry.loaded / Math.max(1, entry.size)
              : entry.asset?.state === 'ingesting'
                ? entry.asset.progress
                : null;
          return (
            <li
              key={entry.key}
              className="upload-item"
              data-state={tone}
              data-testid={`upload-${entry.name}`}
            >
              <span className="upload-item__name" title={entry.name}>
                {entry.name}
              </span>
              <span className="upload-item__size mono">{formatBytes(entry.size)}</span>
              <span className="upload-item__status" data-testid="upload-status" title={text}>
                {text}
              </span>
              {(entry.status === 'waiting' || entry.status === 'uploading') && (
                <button
                  type="button"
                  className="tool-button tool-button--icon"
                  aria-label={`Cancel upload of ${entry.name}`}
                  onClick={() => cancelUpload(entry.key)}
                >
                  ×
                </button>
              )}
              {percent !== null && (
                <span
                  className="upload-item__bar"
                  role="progressbar"
                  aria-label={`${entry.name} progress`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(percent * 100)}
                >
                  <span style={{ width: `${percent * 100}%` }} />
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
