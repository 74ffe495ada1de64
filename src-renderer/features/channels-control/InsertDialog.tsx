import { useDeferredValue, useState } from 'react';
import { Dialog } from '../../ui';
import { length } from './format';
import { useReadyAssets } from './queries';

/** Pick a READY asset to play from the next segment boundary. */
export function InsertDialog({
  channelName,
  onInsert,
  onClose,
}: {
  channelName: string;
  onInsert: (assetId: number) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const deferred = useDeferredValue(text.trim());
  const [picked, setPicked] = useState<number | null>(null);
  const assets = useReadyAssets(deferred);
  const items = assets.data?.items ?? [];
  return (
    <Dialog
      title={`Insert now on ${channelName}`}
      testId="insert-dialog"
      submitLabel="Insert now"
      submitTestId="insert-confirm"
      submitDisabled={picked === null}
      size="wide"
      onSubmit={() => picked !== null && onInsert(picked)}
      onClose={onClose}
    >
      <p className="muted">
        Plays from the next segment boundary; the interrupted programme resumes after it and later
        items are pushed.
      </p>
      <input
        type="search"
        placeholder="Search ready assets"
        aria-label="Search ready assets"
        data-testid="insert-search"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <ul className="cc-insert-list" role="listbox" aria-label="Ready assets">
        {items.map((asset) => (
          <li
            key={asset.id}
            role="option"
            aria-selected={picked === asset.id}
            className="cc-insert-list__item"
            data-testid={`insert-asset-${asset.id}`}
            tabIndex={0}
            onClick={() => setPicked(asset.id)}
            onDoubleClick={() => onInsert(asset.id)}
            onKeyDown={(event) => {
              if (event.key === ' ') {
                event.preventDefault();
                setPicked(asset.id);
              }
            }}
          >
            <span className="cc-insert-list__name">{asset.name}</span>
            <span className="mono muted">{asset.durationMs ? length(asset.durationMs) : '—'}</span>
          </li>
        ))}
        {assets.isSuccess && items.length === 0 && (
          <li className="muted cc-insert-list__empty">No ready asset matches.</li>
        )}
        {assets.isError && <li className="form-error">{assets.error.message}</li>}
      </ul>
    </Dialog>
  );
}
