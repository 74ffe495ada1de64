import { openContextMenuFor } from '../../ui';
import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { Folder } from '../../../src-shared/contract';
import type { LibraryActions } from './actions';
import { acceptsDrop, endDrag, readDrop, startFolderDrag } from './dnd';
import type { FolderIndex } from './folder-model';
import {
  openDialog,
  openFolder,
  openMenu,
  ROOT_FOLDER_ID,
  setExpanded,
  useLibraryPrefs,
  useLibraryUi,
} from './store';

/** Shared by the tree and the breadcrumbs: a folder that takes dropped assets and folders. */
export function useFolderDropTarget(folder: Folder, folders: Folder[], actions: LibraryActions) {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent) => {
        if (!acceptsDrop(event, folder.id, folders)) return;
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = 'move';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent) => {
        setOver(false);
        const payload = readDrop(event);
        if (!payload) return;
        event.preventDefault();
        event.stopPropagation();
        endDrag();
        if (payload.kind === 'assets') actions.moveAssets(payload.ids, folder.id, folder.name);
        else if (payload.id !== folder.id) actions.moveFolder(payload.id, folder.id);
      },
    },
  };
}

type NodeProps = {
  folder: Folder;
  depth: number;
  index: FolderIndex;
  folders: Folder[];
  actions: LibraryActions;
  isCurrent: boolean;
  isOpen: boolean;
};

function FolderNode({ folder, depth, index, folders, actions, isCurrent, isOpen }: NodeProps) {
  const hasChildren = (index.children.get(folder.id)?.length ?? 0) > 0;
  const drop = useFolderDropTarget(folder, folders, actions);
  const isRoot = folder.id === ROOT_FOLDER_ID || folder.parentId === null;
  return (
    <div
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={isCurrent}
      aria-expanded={hasChildren ? isOpen : undefined}
      aria-label={folder.name}
      tabIndex={isCurrent ? 0 : -1}
      data-folder-id={folder.id}
      data-testid={`folder-${folder.id}`}
      className={`folder-node${isCurrent ? ' is-current' : ''}${drop.over ? ' is-drop-target' : ''}`}
      style={{ paddingLeft: 6 + depth * 16 }}
      draggable={!isRoot}
      onDragStart={(event) => {
        event.stopPropagation();
        startFolderDrag(event, folder.id, folder.name);
      }}
      onDragEnd={endDrag}
      onClick={() => openFolder(folder.id)}
      // The library's ContextMenu around the tree opens the menu; this says which folder.
      onContextMenu={(event) => {
        openMenu({ kind: 'folder', x: event.clientX, y: event.clientY, folderId: folder.id });
      }}
      {...drop.handlers}
    >
      <button
        type="button"
        className="folder-node__toggle"
        tabIndex={-1}
        aria-hidden={!hasChildren}
        aria-label={isOpen ? `Collapse ${folder.name}` : `Expand ${folder.name}`}
        style={{ visibility: hasChildren ? 'visible' : 'hidden' }}
        onClick={(event) => {
          event.stopPropagation();
          setExpanded(folder.id, !isOpen);
        }}
      >
        <svg viewBox="0 0 12 12" aria-hidden="true" className={isOpen ? 'is-open' : ''}>
          <path d="M4 2.5 7.5 6 4 9.5" />
        </svg>
      </button>
      <svg className="folder-node__icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M3 6.5V18a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 18V9a1.5 1.5 0 0 0-1.5-1.5h-8L9.5 5h-5A1.5 1.5 0 0 0 3 6.5Z" />
      </svg>
      <span className="folder-node__name">{folder.name}</span>
      {folder.assetCount > 0 && <span className="folder-node__count">{folder.assetCount}</span>}
    </div>
  );
}

/** The library's folders; expand state is a UI preference, the folders come from the core. */
export function FolderTree({
  folders,
  index,
  actions,
}: {
  folders: Folder[];
  index: FolderIndex;
  actions: LibraryActions;
}) {
  const current = useLibraryUi((ui) => ui.folderId);
  // While a storage location is open no library folder is the current one.
  const inStorage = useLibraryUi((ui) => ui.storage !== null);
  const expanded = useLibraryPrefs((prefs) => prefs.expanded);
  // The current folder is always visible: its ancestors count as open.
  const open = new Set([
    ...expanded,
    ...index
      .pathTo(current)
      .map((f) => f.id)
      .slice(0, -1),
  ]);
  const visible = index.flatten(ROOT_FOLDER_ID, (id) => open.has(id));
  const treeRef = useRef<HTMLDivElement>(null);

  const focusFolder = (id: number) => {
    openFolder(id);
    requestAnimationFrame(() =>
      treeRef.current?.querySelector<HTMLElement>(`[data-folder-id="${id}"]`)?.focus(),
    );
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const at = visible.findIndex((row) => row.folder.id === current);
    const row = visible[at];
    if (!row) return;
    const { folder } = row;
    const isRoot = folder.parentId === null;
    const hasChildren = (index.children.get(folder.id)?.length ?? 0) > 0;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (visible[at + 1]) focusFolder(visible[at + 1]!.folder.id);
        break;
      case 'ArrowUp':
        if (visible[at - 1]) focusFolder(visible[at - 1]!.folder.id);
        break;
      case 'ArrowRight':
        if (hasChildren && !open.has(folder.id)) setExpanded(folder.id, true);
        else if (hasChildren) focusFolder(index.children.get(folder.id)![0]!.id);
        break;
      case 'ArrowLeft':
        if (hasChildren && open.has(folder.id)) setExpanded(folder.id, false);
        else if (folder.parentId !== null) focusFolder(folder.parentId);
        break;
      case 'Home':
        if (visible[0]) focusFolder(visible[0].folder.id);
        break;
      case 'End':
        if (visible.length) focusFolder(visible[visible.length - 1]!.folder.id);
        break;
      case 'F2':
        if (!isRoot) openDialog({ kind: 'renameFolder', folderId: folder.id });
        break;
      case 'Delete':
        if (!isRoot) openDialog({ kind: 'deleteFolder', folderId: folder.id });
        break;
      case 'ContextMenu':
      case 'F10': {
        if (event.key === 'F10' && !event.shiftKey) {
          handled = false;
          break;
        }
        const target = event.target as HTMLElement;
        const rect = target.getBoundingClientRect();
        openMenu({ kind: 'folder', x: rect.left + 24, y: rect.bottom, folderId: folder.id });
        openContextMenuFor(target);
        break;
      }
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  return (
    <nav className="folder-tree" aria-label="Folders" data-testid="folder-tree">
      <div role="tree" aria-label="Library folders" ref={treeRef} onKeyDown={onKeyDown}>
        {visible.map(({ folder, depth }) => (
          <FolderNode
            key={folder.id}
            folder={folder}
            depth={depth}
            index={index}
            folders={folders}
            actions={actions}
            isCurrent={folder.id === current && !inStorage}
            isOpen={open.has(folder.id)}
          />
        ))}
      </div>
    </nav>
  );
}
