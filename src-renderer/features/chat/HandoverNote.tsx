import { useState } from 'react';
import { Button, Dialog, Field, toast } from '../../ui';
import { useAuthStore } from '../auth/store';
import { useSettings } from '../settings/queries';
import { dateTimeOf } from './format';
import { useHandover, useSetHandover } from './queries';

/**
 * A channel's handover note: what the last shift wants the next one to read first. Shown on
 * top of the channel's chat room and on the On air screen; people who run the channel edit it.
 */
export function HandoverNote({
  channelId,
  compact = false,
}: {
  channelId: number;
  compact?: boolean;
}) {
  const handover = useHandover(channelId);
  const timeZone = useSettings().data?.timeZone ?? 'UTC';
  const mayWrite = useAuthStore((s) => s.permissions.has('handover.write'));
  const [editing, setEditing] = useState(false);
  const note = handover.data?.current ?? null;
  const history = handover.data?.history ?? [];

  return (
    <section
      className={compact ? 'handover handover--compact' : 'handover'}
      aria-label="Handover note"
      data-testid="handover-note"
    >
      <div className="handover__head">
        <h3 className="eyebrow">Handover</h3>
        {mayWrite && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setEditing(true)}
            data-testid="handover-edit"
          >
            {note?.text ? 'Edit' : 'Write'}
          </Button>
        )}
      </div>
      {note?.text ? (
        <>
          <p className="handover__text" data-testid="handover-text">
            {note.text}
          </p>
          <p className="handover__by muted">
            {note.authorName}, {dateTimeOf(note.at, timeZone)}
          </p>
        </>
      ) : (
        <p className="muted" data-testid="handover-empty">
          No handover note for this channel.
        </p>
      )}
      {!compact && history.length > 0 && (
        <details className="handover__history">
          <summary>Earlier notes ({history.length})</summary>
          <ul>
            {history.map((n) => (
              <li key={n.id}>
                <span className="muted">
                  {n.authorName}, {dateTimeOf(n.at, timeZone)}:
                </span>{' '}
                {n.text || <em>cleared</em>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {editing && (
        <HandoverDialog
          channelId={channelId}
          initial={note?.text ?? ''}
          onClose={() => setEditing(false)}
        />
      )}
    </section>
  );
}

function HandoverDialog({
  channelId,
  initial,
  onClose,
}: {
  channelId: number;
  initial: string;
  onClose: () => void;
}) {
  const [text, setText] = useState(initial);
  const save = useSetHandover();
  return (
    <Dialog
      title="Handover note"
      description="The next person on shift sees this first. The previous note stays in the history."
      testId="handover-dialog"
      onClose={onClose}
      onSubmit={() =>
        save.mutate(
          { channelId, text },
          { onSuccess: onClose, onError: (error) => toast(error.message, 'error') },
        )
      }
      submitLabel="Save note"
      submitTestId="handover-save"
      busy={save.isPending}
    >
      <Field label="Note">
        <textarea
          className="handover__input"
          rows={6}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="handover-input"
        />
      </Field>
    </Dialog>
  );
}
