import { useEffect, useState } from 'react';
import type { PlayoutStatus } from '../../../src-shared/contract';
import { Dialog } from './Dialog';
import { InsertDialog } from './InsertDialog';
import { stationClockMs, type Zone } from './format';
import { usePlayoutAction, type PlayoutAction } from './queries';
import { useChannelsControl } from './store';

type Shortcut = { label: string; matches: (event: KeyboardEvent) => boolean };

const plain = (event: KeyboardEvent) => !event.metaKey;
/** One place for the keys, so the tooltips and the handler cannot disagree. */
export const shortcuts: Record<'start' | 'takeNext' | 'skip' | 'holdRelease' | 'insert', Shortcut> =
  {
    start: {
      label: 'Alt+S',
      matches: (e) => plain(e) && e.altKey && !e.ctrlKey && e.code === 'KeyS',
    },
    takeNext: {
      label: 'Ctrl+Enter',
      matches: (e) => plain(e) && e.ctrlKey && !e.shiftKey && !e.altKey && e.key === 'Enter',
    },
    skip: {
      label: 'Ctrl+Shift+Enter',
      matches: (e) => plain(e) && e.ctrlKey && e.shiftKey && !e.altKey && e.key === 'Enter',
    },
    holdRelease: {
      label: 'Alt+H',
      matches: (e) => plain(e) && e.altKey && !e.ctrlKey && e.code === 'KeyH',
    },
    insert: {
      label: 'Alt+I',
      matches: (e) => plain(e) && e.altKey && !e.ctrlKey && e.code === 'KeyI',
    },
  };

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Start/Stop, Take next, Skip, Hold/Release and Insert now, with the core's answer. */
export function Controls({ status, zone }: { status: PlayoutStatus; zone: Zone }) {
  const channelId = status.channelId;
  const action = usePlayoutAction();
  const outcome = useChannelsControl((s) => s.outcomes[channelId]);
  const [confirmStop, setConfirmStop] = useState(false);
  const [inserting, setInserting] = useState(false);
  const mutate = action.mutate;
  const busy = action.isPending;
  const onAir = status.onAir;

  const run = (name: PlayoutAction, assetId?: number) =>
    mutate({ action: name, channelId, assetId });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || typing(event.target)) return;
      let name: PlayoutAction | 'insert-dialog' | null = null;
      if (shortcuts.start.matches(event)) name = onAir ? null : 'start';
      else if (shortcuts.takeNext.matches(event)) name = 'takeNext';
      else if (shortcuts.skip.matches(event)) name = 'skip';
      else if (shortcuts.holdRelease.matches(event)) name = status.held ? 'release' : 'hold';
      else if (shortcuts.insert.matches(event)) name = onAir ? 'insert-dialog' : null;
      if (!name) return;
      event.preventDefault();
      if (name === 'insert-dialog') setInserting(true);
      else mutate({ action: name, channelId });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mutate, channelId, onAir, status.held]);

  return (
    <section className="cc-controls" aria-label="Operator controls">
      <div className="cc-controls__buttons">
        {onAir ? (
          <button
            type="button"
            className="button cc-button cc-button--danger"
            data-testid="action-stop"
            disabled={busy}
            title="Stop: take the channel off air (asks first)"
            onClick={() => setConfirmStop(true)}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="button cc-button cc-button--go"
            data-testid="action-start"
            disabled={busy}
            title={`Start: put the channel on air (${shortcuts.start.label})`}
            onClick={() => run('start')}
          >
            Start
          </button>
        )}
        <button
          type="button"
          className="button cc-button cc-button--primary"
          data-testid="action-take-next"
          disabled={busy || !onAir}
          title={`Take next: end this programme at the next segment boundary (${shortcuts.takeNext.label})`}
          onClick={() => run('takeNext')}
        >
          Take next
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-skip"
          disabled={busy || !onAir}
          title={`Skip: end this programme; later items keep their times (${shortcuts.skip.label})`}
          onClick={() => run('skip')}
        >
          Skip
        </button>
        <button
          type="button"
          className="button cc-button cc-button--hold"
          data-testid="action-hold"
          disabled={busy || !onAir || status.held}
          title={`Hold: slate from the next segment boundary until released (${shortcuts.holdRelease.label})`}
          onClick={() => run('hold')}
        >
          Hold
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-release"
          disabled={busy || !onAir || !status.held}
          title={`Release: resume where the programme left off (${shortcuts.holdRelease.label})`}
          onClick={() => run('release')}
        >
          Release
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-insert"
          disabled={busy || !onAir}
          title={`Insert now: play an asset from the next segment boundary (${shortcuts.insert.label})`}
          onClick={() => setInserting(true)}
        >
          Insert now…
        </button>
      </div>
      <p
        className={`cc-outcome${outcome?.error ? ' cc-outcome--error' : ''}`}
        data-testid="action-outcome"
        role={outcome?.error ? 'alert' : 'status'}
      >
        {busy
          ? 'Sending…'
          : outcome
            ? outcome.error
              ? `${outcome.action} failed: ${outcome.error}`
              : `${outcome.action} — takes effect at ${stationClockMs(outcome.effectiveAt ?? 0, zone)}`
            : 'Actions take effect at the next segment boundary and are logged to the as-run first.'}
      </p>
      {confirmStop && (
        <Dialog
          title={`Stop ${status.name}?`}
          testId="stop-dialog"
          submitLabel="Stop the channel"
          submitTestId="confirm-stop"
          danger
          onClose={() => setConfirmStop(false)}
          onSubmit={() => {
            setConfirmStop(false);
            run('stop');
          }}
        >
          <p>
            {status.name} goes off air: every output (HLS, live TS, tuners) answers 503 until it is
            started again.
          </p>
        </Dialog>
      )}
      {inserting && (
        <InsertDialog
          channelName={status.name}
          onClose={() => setInserting(false)}
          onInsert={(assetId) => {
            setInserting(false);
            run('insert', assetId);
          }}
        />
      )}
    </section>
  );
}
