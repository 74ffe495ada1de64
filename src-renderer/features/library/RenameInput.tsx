import { useEffect, useRef, useState } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import type { LibraryActions } from './actions';
import { stopRename } from './store';

/** F2: the name becomes editable in place; Enter or leaving saves, Esc cancels. */
export function RenameInput({ asset, actions }: { asset: AssetSummary; actions: LibraryActions }) {
  const [value, setValue] = useState(asset.name);
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    input.focus();
    // Select the name without its extension, as file managers do.
    const dot = asset.name.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : asset.name.length);
  }, [asset.name]);

  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    if (save) actions.renameAsset(asset.id, value, asset.name);
    else stopRename();
    // Give the keyboard back to the list.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('[data-testid="asset-pane"]')?.focus(),
    );
  };

  return (
    <input
      ref={ref}
      className="rename-input"
      aria-label={`New name for ${asset.name}`}
      data-testid="rename-input"
      value={value}
      maxLength={255}
      onChange={(event) => setValue(event.target.value)}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') finish(true);
        if (event.key === 'Escape') finish(false);
      }}
      onBlur={() => finish(true)}
      onDragStart={(event) => event.preventDefault()}
      draggable={false}
    />
  );
}
