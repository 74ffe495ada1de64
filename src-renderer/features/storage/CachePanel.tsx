import { useMemo, useState, type FormEvent } from 'react';
import type { CacheSettings, CacheStatus, DownloadProgress } from '../../../src-shared/contract';
import { formatBytes } from '../library/format';
import { draftOf, patchOf, type Draft } from './cache-draft';
import { CheckField } from './CheckField';
import { isInFlight, useDownloads } from './download-store';
import { useCacheStatus, useStorageMutations } from './queries';
import './storage.css';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="cache-figure">
      <dt>{label}</dt>
      <dd className="mono" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function percent(progress: DownloadProgress): number | null {
  if (!progress.totalBytes) return null;
  return Math.min(100, Math.floor((progress.receivedBytes / progress.totalBytes) * 100));
}

/** One line per object being fetched: name, bytes so far and a bar. */
export function DownloadLine({ progress }: { progress: DownloadProgress }) {
  const pct = percent(progress);
  const verb = progress.state === 'verifying' ? 'Verifying' : 'Downloading';
  return (
    <li className="download-line" data-testid="cache-download" data-state={progress.state}>
      <span className="download-line__name" title={progress.key}>
        {progress.key}
      </span>
      <span className="muted mono">
        {verb} {formatBytes(progress.receivedBytes)}
        {progress.totalBytes !== null && ` of ${formatBytes(progress.totalBytes)}`}
      </span>
      <span
        className="download-bar"
        role="progressbar"
        aria-label={`${verb} ${progress.key}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <span style={{ width: `${pct ?? 0}%` }} />
      </span>
    </li>
  );
}

function CacheFigures({ status }: { status: CacheStatus }) {
  const cap = status.settings.sizeCapBytes;
  const byObject = useDownloads((state) => state.byObject);
  const active = useMemo(() => [...byObject.values()].filter(isInFlight), [byObject]);
  return (
    <>
      <dl className="cache-figures" data-testid="cache-status">
        <Figure
          label="Cache size"
          testId="cache-used"
          value={`${formatBytes(status.usedBytes)}${cap === null ? '' : ` of ${formatBytes(cap)}`}`}
        />
        <Figure label="Entries" testId="cache-entries" value={String(status.entryCount)} />
        <Figure
          label="On air soon or pinned"
          testId="cache-retained"
          value={`${status.retainedCount}${status.missingCount > 0 ? ` (${status.missingCount} still to fetch)` : ''}`}
        />
        <Figure
          label="Free disk"
          testId="cache-free"
          value={
            status.disk.freeBytes === null
              ? 'unknown'
              : `${formatBytes(status.disk.freeBytes)}${status.disk.totalBytes === null ? '' : ` of ${formatBytes(status.disk.totalBytes)}`}`
          }
        />
      </dl>
      {(status.disk.low || status.prefetchPaused) && (
        <p className="form-error" role="alert" data-testid="cache-low-disk">
          {status.disk.low ? 'Free disk space is low: ' : ''}
          {status.prefetchPaused
            ? 'fetching ahead of air is paused.'
            : 'old cached files are being purged.'}
        </p>
      )}
      {status.alarms.length > 0 && (
        <ul className="cache-alarms" data-testid="cache-alarms">
          {status.alarms.map((alarm) => (
            <li key={alarm.id} className="form-error" role="alert">
              {alarm.message}
            </li>
          ))}
        </ul>
      )}
      {active.length > 0 && (
        <ul className="download-list" aria-label="Downloads">
          {active.map((progress) => (
            <DownloadLine key={`${progress.locationId}:${progress.key}`} progress={progress} />
          ))}
        </ul>
      )}
    </>
  );
}

function CacheSettingsForm({ saved }: { saved: CacheSettings }) {
  const m = useStorageMutations();
  const [draft, setDraft] = useState<Draft | null>(null);
  const shown = draft ?? draftOf(saved);
  const patch = draft ? patchOf(draft, saved) : {};
  const dirty = Object.keys(patch).length > 0;
  const edit = (change: Partial<Draft>) => {
    m.saveCacheSettings.reset();
    setDraft({ ...shown, ...change });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    m.saveCacheSettings.mutate(patch, { onSuccess: () => setDraft(null) });
  };
  const number = (
    field: Exclude<keyof Draft, 'checkContentMd5'>,
    label: string,
    unit: string,
    placeholder = '',
  ) => (
    <label className="field settings__number">
      <span className="field__label">{label}</span>
      <span className="settings__number-input">
        <input
          type="number"
          min={0}
          step="any"
          placeholder={placeholder}
          data-testid={`cache-${field}`}
          value={shown[field]}
          onChange={(event) => edit({ [field]: event.target.value })}
        />
        <span className="muted">{unit}</span>
      </span>
    </label>
  );
  return (
    <form className="cache-form" onSubmit={submit} noValidate data-testid="cache-settings">
      <div className="settings__grid">
        {number('horizonHours', 'Keep and fetch ahead', 'hours before air')}
        {number('orphanMinutes', 'Purge unused files after', 'minutes')}
        {number('sizeCapGb', 'Size cap', 'GB', 'no cap')}
        {number('lowDiskGb', 'Low-disk alarm under', 'GB free')}
      </div>
      <CheckField
        testId="cache-checkContentMd5"
        checked={shown.checkContentMd5}
        onChange={(checkContentMd5) => edit({ checkContentMd5 })}
      >
        Also check each download&apos;s MD5 against its ETag
        <span className="muted">
          {' '}
          — size and version are always checked and HTTPS protects the bytes in transit; turn this
          on for a plain-HTTP link you do not trust (costs CPU on every download)
        </span>
      </CheckField>
      <div className="settings__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="cache-save"
          disabled={!dirty || m.saveCacheSettings.isPending}
        >
          Save cache settings
        </button>
        <button
          type="button"
          className="button"
          disabled={draft === null}
          onClick={() => {
            m.saveCacheSettings.reset();
            setDraft(null);
          }}
        >
          Discard changes
        </button>
        {m.saveCacheSettings.isError && (
          <p className="form-error" role="alert" data-testid="cache-error">
            {m.saveCacheSettings.error.message}
          </p>
        )}
        {m.saveCacheSettings.isSuccess && draft === null && (
          <p className="form-ok" role="status" data-testid="cache-saved">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}

/** The local copy of storage objects: how big, how full the disk is, and when files go. */
export function CachePanel() {
  const { data: status, error } = useCacheStatus();
  return (
    <section className="settings" data-testid="cache-panel">
      <header>
        <h2 className="settings__title">Media cache</h2>
        <p className="field__hint">
          Objects from storage locations are fetched once into a local cache and checked before use.
          What airs within the horizon, and anything pinned, is kept and fetched ahead; other files
          go once unused for the purge time, sooner when the cache is over its cap or the disk runs
          low.
        </p>
      </header>
      {error && <p className="form-error">The cache status is unavailable: {error.message}</p>}
      {status && (
        <>
          <CacheFigures status={status} />
          <CacheSettingsForm saved={status.settings} />
        </>
      )}
    </section>
  );
}
