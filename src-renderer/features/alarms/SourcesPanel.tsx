import { useState, type FormEvent } from 'react';
import { checkOutsideUrl, type ProbeOutcome } from '../../../src-shared/contract';
import { ConfirmDialog } from '../../ui';
import { Panel } from '../station/Panel';
import { describeProbe, stateTones } from './format';
import { useAddSource, useOutsideSources, useSourceAction } from './queries';

/** Outside live streams (any HLS URL): added and probed here, monitored while they exist. */
export function SourcesPanel() {
  const sources = useOutsideSources();
  const add = useAddSource();
  const action = useSourceAction();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [outcome, setOutcome] = useState<ProbeOutcome | null>(null);
  const [removing, setRemoving] = useState<{ id: number; name: string } | null>(null);
  const urlCheck = url.trim() === '' ? null : checkOutsideUrl(url.trim());
  const urlError = urlCheck && 'error' in urlCheck ? urlCheck.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !url.trim() || urlError) return;
    setOutcome(null);
    add.mutate(
      { name: name.trim(), url: url.trim() },
      {
        onSuccess: (result) => {
          setOutcome(result.probe);
          setName('');
          setUrl('');
        },
      },
    );
  };

  return (
    <Panel title="Outside streams" testId="alarms-sources">
      <form className="sources-form" onSubmit={submit}>
        <input
          aria-label="Stream name"
          placeholder="Name"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          aria-label="Stream URL"
          placeholder="https://…/playlist.m3u8"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button
          type="submit"
          className="button button--primary"
          disabled={add.isPending || !name.trim() || !url.trim() || urlError !== null}
        >
          {add.isPending ? 'Probing…' : 'Add'}
        </button>
      </form>
      {urlError && <p className="form-error">{urlError}</p>}
      {add.isError && <p className="form-error">{add.error.message}</p>}
      {outcome && (
        <p className={outcome.ok ? 'form-ok' : 'form-error'} data-testid="source-probe">
          {outcome.ok
            ? `Added: ${describeProbe(outcome.probe)}`
            : `Added, but the stream could not be read: ${outcome.error}`}
        </p>
      )}
      <ul className="sources-list">
        {(sources.data?.sources ?? []).map((source) => (
          <li key={source.id} className="source-row" data-testid="source-row">
            <span className="source-row__state" data-tone={stateTones[source.state]}>
              {source.enabled ? source.state : 'paused'}
            </span>
            <span className="source-row__name">{source.name}</span>
            <span className="source-row__url mono">{source.url}</span>
            <span className="source-row__probe">
              {source.probe ? describeProbe(source.probe) : (source.probeError ?? '')}
            </span>
            <span className="source-row__actions">
              <button
                type="button"
                className="button"
                onClick={() => action.mutate({ action: 'probe', id: source.id })}
              >
                Probe
              </button>
              <button
                type="button"
                className="button"
                onClick={() =>
                  action.mutate({ action: 'enable', id: source.id, enabled: !source.enabled })
                }
              >
                {source.enabled ? 'Pause' : 'Resume'}
              </button>
              <button
                type="button"
                className="button button--danger"
                onClick={() => setRemoving(source)}
              >
                Remove
              </button>
            </span>
          </li>
        ))}
      </ul>
      {action.isError && <p className="form-error">{action.error.message}</p>}
      {removing && (
        <ConfirmDialog
          title={`Stop monitoring ${removing.name}?`}
          confirmLabel="Remove"
          tone="danger"
          testId="source-remove-dialog"
          confirmTestId="source-remove-confirm"
          onClose={() => setRemoving(null)}
          onConfirm={() => {
            action.mutate({ action: 'remove', id: removing.id });
            setRemoving(null);
          }}
        >
          <p>Its detector stops and its alarms clear.</p>
        </ConfirmDialog>
      )}
    </Panel>
  );
}
