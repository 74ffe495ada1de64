import { useState } from 'react';
import { checkOutsideUrl, type ProbeOutcome } from '../../../src-shared/contract';
import { Dialog, Field, FieldError } from '../../ui';
import { useAddSource, useMonitorSources, useProbeUrl, useRemoveSource } from './queries';

function describeProbe(outcome: ProbeOutcome): string {
  if (!outcome.ok) return `Probe failed: ${outcome.error}`;
  const { video, audio, format } = outcome.probe;
  const parts = [format];
  if (video)
    parts.push(
      `${video.codec} ${video.width}×${video.height}${video.fps ? ` ${video.fps} fps` : ''}`,
    );
  if (audio) parts.push(`${audio.codec} ${audio.channels} ch ${audio.sampleRate} Hz`);
  return parts.join(' · ');
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Outside live streams (any HLS URL): test, add, remove. Their detectors raise the alarms. */
export function SourcesDialog({ onClose }: { onClose(): void }) {
  const sources = useMonitorSources();
  const add = useAddSource();
  const probe = useProbeUrl();
  const remove = useRemoveSource();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const checked = url.trim() ? checkOutsideUrl(url.trim()) : null;
  const urlError = checked && 'error' in checked ? checked.error : null;
  const outcome = add.data?.probe ?? probe.data ?? null;
  const failure = add.error ?? probe.error ?? remove.error;

  return (
    <Dialog
      title="Outside streams"
      testId="wall-sources"
      size="wide"
      onClose={onClose}
      cancelTestId="wall-sources-close"
    >
      <form
        className="wall-dialog__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (urlError || !name.trim() || !url.trim()) return;
          add.mutate(
            { name: name.trim(), url: url.trim() },
            {
              onSuccess: () => {
                setName('');
                setUrl('');
              },
            },
          );
        }}
      >
        <Field label="Name">
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="wall-source-name"
            maxLength={120}
          />
        </Field>
        <Field label="HLS URL" error={urlError}>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://example.net/live/playlist.m3u8"
            data-testid="wall-source-url"
          />
        </Field>
        <div className="wall-dialog__actions">
          <button
            type="button"
            className="button"
            disabled={!url.trim() || Boolean(urlError) || probe.isPending}
            onClick={() => probe.mutate(url.trim())}
            data-testid="wall-source-probe"
          >
            {probe.isPending ? 'Testing…' : 'Test'}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={!name.trim() || !url.trim() || Boolean(urlError) || add.isPending}
            data-testid="wall-source-add"
          >
            {add.isPending ? 'Adding…' : 'Add'}
          </button>
        </div>
        {outcome && (
          <p className="wall-dialog__probe" data-testid="wall-source-probe-result">
            {describeProbe(outcome)}
          </p>
        )}
        <FieldError>{failure ? errorText(failure) : null}</FieldError>
      </form>
      <ul className="wall-dialog__list">
        {(sources.data?.sources ?? []).map((source) => (
          <li key={source.id} data-testid="wall-source">
            <span className="wall-dialog__source-name">{source.name}</span>
            <span className="wall-dialog__source-url">{source.url}</span>
            <span className={`wall-dialog__state wall-dialog__state--${source.state}`}>
              {source.state}
            </span>
            <button type="button" className="button" onClick={() => remove.mutate(source.id)}>
              Remove
            </button>
          </li>
        ))}
        {sources.data?.sources.length === 0 && (
          <li className="wall-dialog__empty">No outside streams yet.</li>
        )}
      </ul>
    </Dialog>
  );
}
