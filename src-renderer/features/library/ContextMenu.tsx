import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import type { LibraryActions } from './actions';
import type { FolderIndex } from './folder-model';
import {
  closeMenu,
  openDialog,
  openFolder,
  openPreview,
  startRename,
  useLibraryUi,
  type ContextMenuState,
} from './store';

type Item = {
  label: string;
  shortcut?: string;
  danger?: boolean;
  disabled?: boolean;
  run: () => void;
  testId: string;
};

function assetItems(ids: number[], assets: AssetSummary[], actions: LibraryActions): Item[] {
  const single = ids.length === 1 ? assets.find((a) => a.id === ids[0]) : undefined;
  const chosen = assets.filter((a) => ids.includes(a.id));
  const failed = chosen.filter((a) => a.state === 'failed').map((a) => a.id);
  const working = chosen
    .filter((a) => a.state === 'probing' || a.state === 'queued' || a.state === 'ingesting')
    .map((a) => a.id);
  const items: Item[] = [];
  if (single) {
    items.push({
      label: 'Preview',
      shortcut: 'Enter',
      run: () => openPreview(single.id),
      testId: 'menu-preview',
    });
    items.push({
      label: 'Rename',
      shortcut: 'F2',
      run: () => startRename(single.id),
      testId: 'menu-rename',
    });
  }
  items.push({
    label: 'Move to…',
    shortcut: 'M',
    run: () => openDialog({ kind: 'moveAssets', ids }),
    testId: 'menu-move',
  });
  items.push({
    label: 'Tags…',
    shortcut: 'T',
    run: () => openDialog({ kind: 'tags', ids }),
    testId: 'menu-tags',
  });
  if (failed.length > 0) {
    items.push({
      label: failed.length > 1 ? `Retry ingest (${failed.length})` : 'Retry ingest',
      run: () => actions.retryIngest(failed),
      testId: 'menu-retry',
    });
  }
  if (working.length > 0) {
    items.push({
      label: working.length > 1 ? `Cancel ingest (${working.length})` : 'Cancel ingest',
      run: () => actions.cancelIngest(working),
      testId: 'menu-cancel-ingest',
    });
  }
  items.push({
    label: ids.length > 1 ? `Delete ${ids.length} assets…` : 'Delete…',
    shortcut: 'Del',
    danger: true,
    run: () => openDialog({ kind: 'deleteAssets', ids }),
    testId: 'menu-delete',
  });
  return items;
}

function folderItems(folderId: number, index: FolderIndex): Item[] {
  const folder = index.byId.get(folderId);
  const isRoot = !folder || folder.parentId === null;
  return [
    { label: 'Open', run: () => openFolder(folderId), testId: 'menu-open-folder' },
    {
      label: 'New folder…',
      shortcut: 'Ctrl+Shift+N',
      run: () => openDialog({ kind: 'newFolder', parentId: folderId }),
      testId: 'menu-new-folder',
    },
    {
      label: 'Rename…',
      shortcut: 'F2',
      disabled: isRoot,
      run: () => openDialog({ kind: 'renameFolder', folderId }),
      testId: 'menu-rename-folder',
    },
    {
      label: 'Delete folder…',
      shortcut: 'Del',
      danger: true,
      disabled: isRoot,
      run: () => openDialog({ kind: 'deleteFolder', folderId }),
      testId: 'menu-delete-folder',
    },
  ];
}

/** Right-click menu for assets and folders; arrows, Enter and Esc work as in any desktop menu. */
export function ContextMenu({
  menu,
  assets,
  index,
  actions,
}: {
  menu: ContextMenuState;
  assets: AssetSummary[];
  index: FolderIndex;
  actions: LibraryActions;
}) {
  const selected = useLibraryUi((ui) => ui.selected);
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: menu.x, top: menu.y });
  const ids =
    menu.kind === 'asset' ? (selected.has(menu.assetId) ? [...selected] : [menu.assetId]) : [];
  const items =
    menu.kind === 'asset' ? assetItems(ids, assets, actions) : folderItems(menu.folderId, index);

  // Keep the menu on screen.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const rect = element.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - rect.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - rect.height - 4)),
    });
    element.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
  }, [menu.x, menu.y]);

  useEffect(() => {
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) closeMenu();
    };
    const onBlur = () => closeMenu();
    document.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = Array.from(
      ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [],
    );
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    event.stopPropagation();
    if (event.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else if (event.key === 'Home') buttons[0]?.focus();
    else if (event.key === 'End') buttons[buttons.length - 1]?.focus();
    else if (event.key === 'Escape' || event.key === 'Tab') closeMenu();
    else return;
    event.preventDefault();
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={menu.kind === 'asset' ? 'Asset actions' : 'Folder actions'}
      data-testid="context-menu"
      style={position}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.testId}
          type="button"
          role="menuitem"
          className={`context-menu__item${item.danger ? ' is-danger' : ''}`}
          disabled={item.disabled}
          data-testid={item.testId}
          onClick={() => {
            closeMenu();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut && <kbd>{item.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}
