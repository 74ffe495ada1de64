import { useState } from 'react';
import type { PlayoutStatus } from '../../../src-shared/contract';
import { ConfirmDialog, useShortcuts } from '../../ui';
import { BreakDialog } from './BreakDialog';
import { InsertDialog } from './InsertDialog';
import { stationClockMs, type Zone } from './format';
import { usePlayoutAction, type PlayoutAction } from './queries';
import { useChannelsControl } from './store';

/** One place for the keys, so the tooltips, the handler and the "?" overlay cannot disagree. */
export const shortcuts = {
  start: 'Alt+S',
  takeNext: 'Ctrl+Enter',
  skip: 'Ctrl+Shift+Enter',
  holdRelease: 'Alt+H',
  insert: 'Alt+I',
  breakNow: 'Alt+B',
} as const;

/** Start/Stop, Take next, Skip, Hold/Release, Insert now and Break now, with the core's answer. */
export function Controls({ status, zone }: { status: PlayoutStatus; zone: Zone }) {
  const channelId = status.channelId;
  const action = usePlayoutAction();
  const outcome = useChannelsControl((s) => s.outcomes[channelId]);
  const [confirmStop, setConfirmStop] = useState(false);
  const [inserting, setInserting] = useState(false);
  const [breaking, setBreaking] = useState(false);
  const mutate = action.mutate;
  const busy = action.isPending;
  const onAir = status.onAir;

  const run = (
    name: PlayoutAction,
    more?: { assetId?: number; durationMs?: number; title?: string | null },
  ) => mutate({ action: name, channelId, ...more });

  useShortcuts('channels-control', [
    {
      keys: shortcuts.start,
      label: 'Start: put the channel on air',
      run: () => !onAir && !busy && run('start'),
    },
    { keys: shortcuts.takeNext, label: 'Take next', run: () => run('takeNext') },
    { keys: shortcuts.skip, label: 'Skip this programme', run: () => run('skip') },
    {
      keys: shortcuts.holdRelease,
      label: 'Hold on slate / release',
      run: () => run(status.held ? 'release' : 'hold'),
    },
    {
      keys: shortcuts.insert,
      label: 'Insert an asset now…',
      run: () => onAir && setInserting(true),
    },
    {
      keys: shortcuts.breakNow,
      label: 'Ad break now…',
      run: () => onAir && setBreaking(true),
    },
  ]);

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
            title={`Start: put the channel on air (${shortcuts.start})`}
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
          title={`Take next: end this programme at the next segment boundary (${shortcuts.takeNext})`}
          onClick={() => run('takeNext')}
        >
          Take next
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-skip"
          disabled={busy || !onAir}
          title={`Skip: end this programme; later items keep their times (${shortcuts.skip})`}
          onClick={() => run('skip')}
        >
          Skip
        </button>
        <button
          type="button"
          className="button cc-button cc-button--hold"
          data-testid="action-hold"
          disabled={busy || !onAir || status.held}
          title={`Hold: slate from the next segment boundary until released (${shortcuts.holdRelease})`}
          onClick={() => run('hold')}
        >
          Hold
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-release"
          disabled={busy || !onAir || !status.held}
          title={`Release: resume where the programme left off (${shortcuts.holdRelease})`}
          onClick={() => run('release')}
        >
          Release
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-insert"
          disabled={busy || !onAir}
          title={`Insert now: play an asset from the next segment boundary (${shortcuts.insert})`}
          onClick={() => setInserting(true)}
        >
          Insert now…
        </button>
        <button
          type="button"
          className="button cc-button"
          data-testid="action-break"
          disabled={busy || !onAir}
          title={`Break now: an ad break from the next segment boundary (${shortcuts.breakNow})`}
          onClick={() => setBreaking(true)}
        >
          Break now…
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
        <ConfirmDialog
          title={`Stop ${status.name}?`}
          testId="stop-dialog"
          confirmLabel="Stop the channel"
          confirmTestId="confirm-stop"
          tone="danger"
          onClose={() => setConfirmStop(false)}
          onConfirm={() => {
            setConfirmStop(false);
            run('stop');
          }}
        >
          <p>
            {status.name} goes off air: every output (HLS, live TS, tuners) answers 503 until it is
            started again.
          </p>
        </ConfirmDialog>
      )}
      {inserting && (
        <InsertDialog
          channelName={status.name}
          onClose={() => setInserting(false)}
          onInsert={(assetId) => {
            setInserting(false);
            run('insert', { assetId });
          }}
        />
      )}
      {breaking && (
        <BreakDialog
          channelName={status.name}
          onClose={() => setBreaking(false)}
          onBreak={(durationMs, title) => {
            setBreaking(false);
            run('breakNow', { durationMs, title });
          }}
        />
      )}
    </section>
  );
}
