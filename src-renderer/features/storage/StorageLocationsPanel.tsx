import { useState, type FormEvent } from 'react';
import { CheckField } from './CheckField';
import type { StorageLocation } from '../../../src-shared/contract';
import { isDesktop } from '../../app/api/media';
import {
  describeCredentials,
  draftOf,
  emptyDraft,
  publishingText,
  toInput,
  toPatch,
  whereText,
  type Draft,
} from './location-draft';
import { usePublishingStatus, useStorageLocations, useStorageMutations } from './queries';
import './storage.css';

type TestResult = { ok: boolean; message: string };

function TestOutcome({ result, testId }: { result: TestResult | undefined; testId: string }) {
  if (!result) return null;
  return (
    <p
      className={result.ok ? 'form-ok' : 'form-error'}
      role={result.ok ? 'status' : 'alert'}
      data-testid={testId}
      data-ok={result.ok}
    >
      {result.ok ? 'Connected: ' : 'Connection failed: '}
      {result.message}
    </p>
  );
}

function LocationRow({
  location,
  editing,
  onEdit,
}: {
  location: StorageLocation;
  editing: boolean;
  onEdit: () => void;
}) {
  const m = useStorageMutations();
  const [result, setResult] = useState<TestResult>();
  const [confirming, setConfirming] = useState(false);
  const { data: publishing } = usePublishingStatus();
  const status = publishing?.locations.find((l) => l.locationId === location.id);
  const published = publishingText(status);
  return (
    <li
      className={`storage-list__row${editing ? ' is-editing' : ''}`}
      data-testid={`storage-location-${location.id}`}
    >
      <div className="storage-list__main">
        <strong className="storage-list__name">{location.name}</strong>
        <span className="storage-list__where mono" title={whereText(location)}>
          {whereText(location)}
        </span>
        <span className="muted">
          {location.pathStyle ? 'path-style' : 'virtual-hosted'} · {describeCredentials(location)}
        </span>
        {(location.publishRenditions || published) && (
          <span className="muted" data-testid={`storage-location-publishing-${location.id}`}>
            {location.publishRenditions ? 'Publishes renditions' : 'Not publishing'}
            {published && `: ${published}`}
            {location.publicBaseUrl && ` · players fetch segments from ${location.publicBaseUrl}`}
          </span>
        )}
        {status?.lastError && (
          <span
            className="form-error"
            data-testid={`storage-location-publishing-error-${location.id}`}
          >
            Last upload failure (retried on the next pass): {status.lastError}
          </span>
        )}
      </div>
      <div className="storage-list__actions">
        <button
          type="button"
          className="button"
          data-testid={`storage-location-test-${location.id}`}
          disabled={m.test.isPending}
          onClick={() =>
            m.test.mutate(
              { id: location.id },
              {
                onSuccess: setResult,
                onError: (error) => setResult({ ok: false, message: error.message }),
              },
            )
          }
        >
          Test connection
        </button>
        <button type="button" className="button" onClick={onEdit} disabled={editing}>
          Edit
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="button button--danger"
              data-testid={`storage-location-remove-confirm-${location.id}`}
              onClick={() =>
                m.remove.mutate(location.id, { onSettled: () => setConfirming(false) })
              }
            >
              Remove “{location.name}”
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button"
            data-testid={`storage-location-remove-${location.id}`}
            onClick={() => setConfirming(true)}
          >
            Remove
          </button>
        )}
      </div>
      <TestOutcome result={result} testId={`storage-location-test-result-${location.id}`} />
      {m.remove.isError && (
        <p className="form-error" role="alert">
          {m.remove.error.message}
        </p>
      )}
    </li>
  );
}

function LocationForm({
  editing,
  onDone,
}: {
  editing: StorageLocation | null;
  onDone: () => void;
}) {
  const m = useStorageMutations();
  const [draft, setDraft] = useState<Draft>(editing ? draftOf(editing) : emptyDraft);
  const [result, setResult] = useState<TestResult>();
  const save = editing ? m.update : m.add;

  const edit = (change: Partial<Draft>) => {
    setResult(undefined);
    m.add.reset();
    m.update.reset();
    setDraft((current) => ({ ...current, ...change }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const done = () => {
      setDraft(emptyDraft);
      setResult(undefined);
      onDone();
    };
    // The core validates every field; its message is shown as is.
    if (editing) m.update.mutate(toPatch(editing, draft), { onSuccess: done });
    else m.add.mutate(toInput(draft), { onSuccess: done });
  };
  const test = () =>
    m.test.mutate(
      { draft: toInput(draft) },
      {
        onSuccess: setResult,
        onError: (error) => setResult({ ok: false, message: error.message }),
      },
    );
  const text = (field: keyof Draft, label: string, props: Record<string, string> = {}) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        data-testid={`storage-${field}`}
        value={draft[field] as string}
        onChange={(event) => edit({ [field]: event.target.value })}
        {...props}
      />
    </label>
  );

  return (
    <form className="storage-form" onSubmit={submit} noValidate data-testid="storage-form">
      <h3 className="storage-form__title">
        {editing ? `Edit “${editing.name}”` : 'Add an S3 location'}
      </h3>
      {text('name', 'Name', { placeholder: 'Archive' })}
      {text('endpoint', 'Endpoint', { placeholder: 'https://s3.example.net (empty for AWS)' })}
      {text('region', 'Region', { placeholder: 'us-east-1' })}
      {text('bucket', 'Bucket', { placeholder: 'station-media' })}
      {text('prefix', 'Prefix', { placeholder: 'programmes/ (empty for the whole bucket)' })}
      <CheckField
        testId="storage-pathStyle"
        checked={draft.pathStyle}
        onChange={(pathStyle) => edit({ pathStyle })}
      >
        Path-style addresses (most self-hosted S3 servers)
      </CheckField>
      <CheckField
        wide
        testId="storage-publishRenditions"
        checked={draft.publishRenditions}
        onChange={(publishRenditions) => edit({ publishRenditions })}
      >
        Publish house renditions to this location
      </CheckField>
      <p className="field__hint storage-form__wide">
        Ready assets imported from S3 are uploaded under <code>airdeck/renditions/</code> in the
        background, so another Airdeck importing the same object with the same house profile uses
        them instead of transcoding.
      </p>
      {text('publicBaseUrl', 'Public segment base URL', {
        placeholder: 'https://cdn.example.net/station-media (empty: Airdeck serves segments)',
      })}
      <p className="field__hint storage-form__wide">
        When set, live main playlists send players to{' '}
        <code>&lt;base URL&gt;/&lt;object key&gt;</code> for every published asset segment, and
        Airdeck serves only the playlists, slate and trimmed segments (the bucket or CDN must allow
        cross-origin GETs for browser players). Those segments keep the asset’s own timestamps:
        players that honour EXT-X-DISCONTINUITY (hls.js, Safari, ExoPlayer) play them; ffmpeg’s HLS
        reader does not.
      </p>
      {text('accessKeyId', 'Access key ID', { autoComplete: 'off' })}
      {text('secretAccessKey', 'Secret access key', {
        type: 'password',
        autoComplete: 'new-password',
      })}
      <p className="field__hint storage-form__wide">
        {isDesktop()
          ? 'Keys are encrypted with the operating system’s keychain and never shown again.'
          : 'Keys are kept in the server’s data folder (readable by its user only) and never shown again.'}{' '}
        Leave both empty to use <code>AIRDECK_S3_*</code> environment variables or the AWS default
        credentials of the Airdeck machine.
        {editing && ` Stored now: ${describeCredentials(editing)}.`}
      </p>
      {editing && editing.credentials.source !== 'default-chain' && (
        <CheckField
          wide
          checked={draft.clearCredentials}
          onChange={(clearCredentials) => edit({ clearCredentials })}
        >
          Forget the stored keys
        </CheckField>
      )}
      <div className="settings__actions storage-form__wide">
        <button
          type="button"
          className="button"
          data-testid="storage-test"
          onClick={test}
          disabled={m.test.isPending || draft.bucket.trim() === ''}
        >
          {m.test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="submit"
          className="button button--primary"
          data-testid="storage-save"
          disabled={save.isPending || draft.name.trim() === '' || draft.bucket.trim() === ''}
        >
          {editing ? 'Save location' : 'Add location'}
        </button>
        {editing && (
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        )}
        <TestOutcome result={result} testId="storage-test-result" />
        {save.isError && (
          <p className="form-error" role="alert" data-testid="storage-error">
            {save.error.message}
          </p>
        )}
      </div>
    </form>
  );
}

/** S3 buckets (AWS or any S3-compatible server) whose objects the library can browse and use. */
export function StorageLocationsPanel() {
  const { data: locations, error } = useStorageLocations();
  const [editingId, setEditingId] = useState<number | null>(null);
  const editing = locations?.find((l) => l.id === editingId) ?? null;
  return (
    <section className="settings" data-testid="storage-locations">
      <header>
        <h2 className="settings__title">Storage locations</h2>
        <p className="field__hint">
          S3 buckets on AWS or any S3-compatible server. Each shows in the Library under Storage;
          its objects become assets without being copied into the library first, and are fetched
          into the local cache when they are needed.
        </p>
      </header>
      {error && <p className="form-error">Storage locations are unavailable: {error.message}</p>}
      {locations && locations.length > 0 ? (
        <ul className="storage-list">
          {locations.map((location) => (
            <LocationRow
              key={location.id}
              location={location}
              editing={location.id === editingId}
              onEdit={() => setEditingId(location.id)}
            />
          ))}
        </ul>
      ) : (
        locations && <p className="muted">No storage locations.</p>
      )}
      {/* A new key per target resets the form when switching between add and edit. */}
      <LocationForm
        key={editing ? `edit-${editing.id}` : 'add'}
        editing={editing}
        onDone={() => setEditingId(null)}
      />
    </section>
  );
}
