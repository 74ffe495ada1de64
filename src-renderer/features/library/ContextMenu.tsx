import type { AssetSummary } from '../../../src-shared/contract';
import type { MenuItem } from '../../ui';
import type { LibraryActions } from './actions';
import type { FolderIndex } from './folder-model';
import { openDialog, openFolder, openPreview, startRename, type ContextMenuState } from './store';

type Item = Exclude<MenuItem, 'separator'>;

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
      onSelect: () => openPreview(single.id),
      testId: 'menu-preview',
    });
    items.push({
      label: 'Rename',
      shortcut: 'F2',
      onSelect: () => startRename(single.id),
      testId: 'menu-rename',
    });
  }
  items.push({
    label: 'Move to…',
    shortcut: 'M',
    onSelect: () => openDialog({ kind: 'moveAssets', ids }),
    testId: 'menu-move',
  });
  items.push({
    label: 'Tags…',
    shortcut: 'T',
    onSelect: () => openDialog({ kind: 'tags', ids }),
    testId: 'menu-tags',
  });
  if (failed.length > 0) {
    items.push({
      label: failed.length > 1 ? `Retry ingest (${failed.length})` : 'Retry ingest',
      onSelect: () => actions.retryIngest(failed),
      testId: 'menu-retry',
    });
  }
  if (working.length > 0) {
    items.push({
      label: working.length > 1 ? `Cancel ingest (${working.length})` : 'Cancel ingest',
      onSelect: () => actions.cancelIngest(working),
      testId: 'menu-cancel-ingest',
    });
  }
  items.push({
    label: ids.length > 1 ? `Delete ${ids.length} assets…` : 'Delete…',
    shortcut: 'Del',
    tone: 'danger',
    onSelect: () => openDialog({ kind: 'deleteAssets', ids }),
    testId: 'menu-delete',
  });
  return items;
}

function folderItems(folderId: number, index: FolderIndex): Item[] {
  const folder = index.byId.get(folderId);
  const isRoot = !folder || folder.parentId === null;
  return [
    { label: 'Open', onSelect: () => openFolder(folderId), testId: 'menu-open-folder' },
    {
      label: 'New folder…',
      shortcut: 'Ctrl+Shift+N',
      onSelect: () => openDialog({ kind: 'newFolder', parentId: folderId }),
      testId: 'menu-new-folder',
    },
    {
      label: 'Rename…',
      shortcut: 'F2',
      disabled: isRoot,
      onSelect: () => openDialog({ kind: 'renameFolder', folderId }),
      testId: 'menu-rename-folder',
    },
    {
      label: 'Delete folder…',
      shortcut: 'Del',
      tone: 'danger',
      disabled: isRoot,
      onSelect: () => openDialog({ kind: 'deleteFolder', folderId }),
      testId: 'menu-delete-folder',
    },
  ];
}

/**
 * What the library's right-click menu offers for whatever the store says was clicked (a row,
 * a card or a folder sets it in its own onContextMenu before the menu opens). Empty space has
 * no menu.
 */
export function libraryMenuItems(
  menu: ContextMenuState | null,
  selected: ReadonlySet<number>,
  assets: AssetSummary[],
  index: FolderIndex,
  actions: LibraryActions,
): MenuItem[] {
  if (!menu) return [];
  if (menu.kind === 'folder') return folderItems(menu.folderId, index);
  const ids = selected.has(menu.assetId) ? [...selected] : [menu.assetId];
  return assetItems(ids, assets, actions);
}
