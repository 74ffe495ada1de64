import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClipTarget } from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';
import { Button, CheckField, Dialog, Field, toast } from '../../ui';

const GIB = 1024 ** 3;

/**
 * Where finished clips are delivered (a folder inside the allowed folders, or a storage
 * location), which targets take every new clip by themselves, and the recordings' low-disk
 * threshold. For people who manage settings.
 */
export function ClipTargetsDialog({
  targets,
  onClose,
}: {
  targets: readonly ClipTarget[];
  onClose(): void;
}) {
  const api = useApi();
  const locations = useQuery({
    queryKey: ['review', 'storage-locations'],
    queryFn: () => api.call('storageLocationsList', {}),
    gcTime: 0,
  });
  const recorderSettings = useQuery({
    queryKey: ['review', 'recorder-settings'],
    queryFn: () => api.call('recorderSettingsGet', {}),
    gcTime: 0,
  });
  const [kind, setKind] = useState<'folder' | 's3'>('folder');
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const [locationId, setLocationId] = useState('');
  const [prefix, setPrefix] = useState('clips/');
  const [autoDeliver, setAutoDeliver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [threshold, setThreshold] = useState<string | null>(null);
  const shownThreshold =
    threshold ??
    (recorderSettings.data ? String(recorderSettings.data.lowDiskFreeBytes / GIB) : '');

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call(
        'clipTargetAdd',
        kind === 'folder'
          ? { kind, name, folder, autoDeliver }
          : { kind, name, locationId: Number(locationId), prefix, autoDeliver },
      );
      setName('');
      setFolder('');
      toast(`Target ${name} added`, 'ok', { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const attempt = (run: () => Promise<unknown>) =>
    run().catch((e: unknown) => toast(errorText(e), 'error'));

  return (
    <Dialog
      title="Clip delivery"
      description="Finished clips go to these folders and storage locations."
      testId="clip-targets-dialog"
      size="wide"
      onClose={onClose}
      onSubmit={() => void add()}
      submitLabel="Add target"
      submitTestId="clip-target-add"
      submitDisabled={!name.trim() || (kind === 'folder' ? !folder.trim() : !locationId)}
      busy={busy}
      cancelLabel="Close"
    >
      {targets.length > 0 && (
        <table className="ui-table" aria-label="Clip targets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Where</th>
              <th>Every new clip</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={t.id} data-testid="clip-target-row">
                <td>{t.name}</td>
                <td className="mono">
                  {t.kind === 'folder'
                    ? t.folder
                    : `${locations.data?.locations.find((l) => l.id === t.locationId)?.name ?? `location ${t.locationId}`} · ${t.prefix}`}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t.name}: deliver every new clip`}
                    checked={t.autoDeliver}
                    onChange={(e) =>
                      void attempt(() =>
                        api.call('clipTargetUpdate', { id: t.id, autoDeliver: e.target.checked }),
                      )
                    }
                  />
                </td>
                <td>
                  <Button
                    size="sm"
                    variant="danger"
                    aria-label={`Remove ${t.name}`}
                    onClick={() => void attempt(() => api.call('clipTargetRemove', { id: t.id }))}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <fieldset className="review-targets__new">
        <legend>New target</legend>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </Field>
        <Field label="Kind">
          <select value={kind} onChange={(e) => setKind(e.target.value as 'folder' | 's3')}>
            <option value="folder">Folder on the server</option>
            <option value="s3">Storage location (S3)</option>
          </select>
        </Field>
        {kind === 'folder' ? (
          <Field label="Folder" hint="An absolute path inside the allowed folders.">
            <input value={folder} onChange={(e) => setFolder(e.target.value)} />
          </Field>
        ) : (
          <>
            <Field label="Storage location">
              <select value={locationId} onChange={(e) => setLocationId(e.target.value)}>
                <option value="">— pick one —</option>
                {(locations.data?.locations ?? []).map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Key prefix" hint="Words ending in /, e.g. clips/">
              <input value={prefix} onChange={(e) => setPrefix(e.target.value)} />
            </Field>
          </>
        )}
        <CheckField
          label="Deliver every new clip here"
          checked={autoDeliver}
          onChange={(e) => setAutoDeliver(e.target.checked)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
      <fieldset className="review-targets__disk">
        <legend>Recordings disk</legend>
        <Field
          label="Alarm below (GiB free)"
          hint="Below this, an alarm is raised and the oldest media no note or clip holds is deleted."
        >
          <input
            type="number"
            min={0}
            step={0.5}
            value={shownThreshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
        </Field>
        <Button
          size="sm"
          disabled={threshold === null || !(Number(threshold) >= 0)}
          onClick={() =>
            void attempt(async () => {
              await api.call('recorderSettingsSet', {
                lowDiskFreeBytes: Math.round(Number(threshold) * GIB),
              });
              await recorderSettings.refetch();
              setThreshold(null);
              toast('Recordings disk threshold saved', 'ok', { replace: true });
            })
          }
        >
          Save threshold
        </Button>
      </fieldset>
    </Dialog>
  );
}
