import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { useLibraryActions } from './actions';
import { AssetGrid } from './AssetGrid';
import { AssetList } from './AssetList';
import { Breadcrumbs } from './Breadcrumbs';
import { ContextMenu, useShortcuts } from '../../ui';
import { libraryMenuItems } from './ContextMenu';
import { LibraryDialog } from './Dialogs';
import { isOsFileDrag } from './dnd';
import { indexFolders } from './folder-model';
import { FolderTree } from './FolderTree';
import { MetadataPanel } from './MetadataPanel';
import { PreviewPlayer } from './PreviewPlayer';
import { buildViewQuery, useAssetDetail, useAssetPages, useFolders } from './queries';
import {
  closeMenu,
  openDialog,
  openFolder,
  openStorage,
  ROOT_FOLDER_ID,
  useLibraryPrefs,
  useLibraryUi,
} from './store';
import { StorageBrowser } from './StorageBrowser';
import { StorageTree } from './StorageTree';
import { Toolbar } from './Toolbar';
import { useStorageLocations } from '../storage/queries';
import { UploadPanel } from './UploadPanel';
import './library.css';

function PreviewSlot({ previewId }: { previewId: number }) {
  const detail = useAssetDetail(previewId);
  if (!detail.data) return null;
  const proxy = detail.data.renditions.find((r) => r.kind === 'proxy');
  // A new playlist (re-ingest) starts a fresh player.
  return (
    <PreviewPlayer
      key={`${previewId}:${proxy?.playlistUrl ?? ''}:${detail.data.state}`}
      asset={detail.data}
    />
  );
}

/** The file manager: folders, assets, preview and metadata, uploads. */
export function LibraryScreen() {
  const actions = useLibraryActions();
  const folderQuery = useFolders();
  const folders = useMemo(() => folderQuery.data ?? [], [folderQuery.data]);
  const index = useMemo(() => indexFolders(folders), [folders]);

  const requested = useLibraryUi((ui) => ui.folderId);
  const storagePlace = useLibraryUi((ui) => ui.storage);
  const { data: locations } = useStorageLocations();
  // A location removed elsewhere sends this window back to the library.
  const storage =
    storagePlace && (!locations || locations.some((l) => l.id === storagePlace.locationId))
      ? storagePlace
      : null;
  const filters = useLibraryUi((ui) => ui.filters);
  const selected = useLibraryUi((ui) => ui.selected);
  const previewId = useLibraryUi((ui) => ui.previewId);
  const menu = useLibraryUi((ui) => ui.menu);
  const dialog = useLibraryUi((ui) => ui.dialog);
  const viewMode = useLibraryPrefs((prefs) => prefs.view);
  const sort = useLibraryPrefs((prefs) => prefs.sort);
  const direction = useLibraryPrefs((prefs) => prefs.direction);
  const recursive = useLibraryPrefs((prefs) => prefs.recursive);

  // A folder deleted elsewhere sends this window back to the top.
  const rootId = index.byId.has(ROOT_FOLDER_ID)
    ? ROOT_FOLDER_ID
    : (index.children.get(null)?.[0]?.id ?? ROOT_FOLDER_ID);
  const folderId = index.byId.has(requested) ? requested : rootId;
  const path = index.pathTo(folderId);

  const view = useMemo(
    () => buildViewQuery({ folderId, recursive, filters, sort, direction }),
    [folderId, recursive, filters, sort, direction],
  );
  const pages = useAssetPages(view);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const ordered = useMemo(() => items.map((item) => item.id), [items]);
  const lastPage = pages.data?.pages[pages.data.pages.length - 1];
  const total = pages.hasNextPage ? Math.max(items.length, lastPage?.total ?? 0) : items.length;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const selection = useMemo(() => items.filter((item) => selected.has(item.id)), [items, selected]);
  const detailId = selected.size === 1 ? [...selected][0]! : null;

  const searchRef = useRef<HTMLInputElement>(null);
  const uploadRef = useRef<HTMLInputElement>(null);
  const [dropActive, setDropActive] = useState(false);

  const goUp = () => {
    if (storage) {
      // Up one key prefix ("a/b/" → "a/"), or stay at the location's top.
      const up = storage.prefix.replace(/[^/]*\/$/, '');
      if (up !== storage.prefix) openStorage(storage.locationId, up);
      return;
    }
    const parent = index.byId.get(folderId)?.parentId;
    if (parent) openFolder(parent);
  };
  // Screen-wide keys run here; the asset pane and the tree handle their own (listed without
  // `run`), and the "?" overlay shows them all.
  useShortcuts('library', [
    {
      keys: '',
      display: 'Click · Ctrl/⌘+click · Shift+click',
      label: 'Select · add or remove · select a range',
    },
    { keys: '', display: 'Drag on empty grid space', label: 'Rubber-band selection (Ctrl adds)' },
    { keys: '', display: '↑ ↓ ← →  (Shift extends)', label: 'Move the cursor' },
    { keys: '', display: 'Ctrl/⌘+A', label: 'Select everything listed' },
    { keys: '', display: 'Esc', label: 'Clear the selection, close menus' },
    { keys: '', display: 'Enter', label: 'Preview' },
    { keys: '', display: 'F2', label: 'Rename' },
    { keys: '', display: 'Delete', label: 'Delete (asks first)' },
    { keys: '', display: 'M', label: 'Move to…' },
    { keys: '', display: 'T', label: 'Tags…' },
    { keys: '', display: 'Shift+F10 · Menu key', label: 'Context menu' },
    {
      keys: 'Mod+Shift+N',
      label: 'New folder',
      inFields: true,
      run: () => openDialog({ kind: 'newFolder', parentId: folderId }),
    },
    { keys: 'Mod+F', label: 'Search', inFields: true, run: () => searchRef.current?.focus() },
    { keys: '/', label: 'Search', run: () => searchRef.current?.focus() },
    { keys: 'Alt+ArrowUp / Backspace', label: 'Parent folder', run: goUp },
    { keys: 'Mod+Z', label: 'Undo the last rename', run: () => actions.undo() },
    { keys: '', display: 'Drag onto a folder or breadcrumb', label: 'Move there' },
    { keys: '', display: 'Drop files or folders on the window', label: 'Upload / import' },
    { keys: '', display: 'Space (player)', label: 'Play / pause' },
  ]);

  const dropHandlers = {
    onDragOver: (event: DragEvent) => {
      if (!isOsFileDrag(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      if (!dropActive) setDropActive(true);
    },
    onDragLeave: (event: DragEvent) => {
      if (
        event.relatedTarget === null ||
        !event.currentTarget.contains(event.relatedTarget as Node)
      ) {
        setDropActive(false);
      }
    },
    onDrop: (event: DragEvent) => {
      setDropActive(false);
      if (!isOsFileDrag(event)) return;
      event.preventDefault();
      actions.importDrop(event.dataTransfer, folderId);
    },
  };

  const filtered = Boolean(
    view.text ||
    view.tag ||
    view.state ||
    view.videoCodec ||
    view.minDurationMs !== undefined ||
    view.maxDurationMs !== undefined,
  );
  const emptyText = pages.isPending
    ? 'Loading…'
    : pages.error
      ? `The library is unavailable: ${pages.error.message}`
      : filtered
        ? 'Nothing matches these filters.'
        : 'This folder is empty. Drop video files here or use Upload.';

  return (
    <div className="library-screen" data-testid="library-screen" {...dropHandlers}>
      <Toolbar
        folderId={folderId}
        searchRef={searchRef}
        uploadRef={uploadRef}
        onUpload={(files) => actions.importFiles(files, folderId)}
      />
      <ContextMenu
        label={menu?.kind === 'folder' ? 'Folder actions' : 'Asset actions'}
        testId="context-menu"
        items={() => {
          const ui = useLibraryUi.getState();
          return libraryMenuItems(ui.menu, ui.selected, items, index, actions);
        }}
        onOpenChange={(open) => !open && closeMenu()}
      >
        <div className="library-body">
          <aside className="library-sidebar">
            {folderQuery.error ? (
              <p className="form-error">Folders are unavailable: {folderQuery.error.message}</p>
            ) : (
              <FolderTree folders={folders} index={index} actions={actions} />
            )}
            <StorageTree />
          </aside>
          {storage ? (
            <section className="library-main" aria-label="Storage objects">
              <StorageBrowser
                key={`${storage.locationId}:${storage.prefix}`}
                place={storage}
                location={locations?.find((l) => l.id === storage.locationId)}
                folders={folders}
                index={index}
                defaultFolderId={folderId}
              />
            </section>
          ) : (
            <section className="library-main" aria-label="Assets">
              <div className="library-main__bar">
                <Breadcrumbs path={path} folders={folders} actions={actions} />
                <span
                  className="library-main__count muted"
                  data-testid="asset-count"
                  aria-live="polite"
                >
                  {pages.isFetching && !pages.isFetchingNextPage ? 'Updating… ' : ''}
                  {total} {total === 1 ? 'asset' : 'assets'}
                  {selection.length > 0 ? ` · ${selection.length} selected` : ''}
                </span>
              </div>
              {viewMode === 'list' ? (
                <AssetList
                  items={items}
                  ordered={ordered}
                  total={total}
                  loadMore={loadMore}
                  actions={actions}
                  emptyText={emptyText}
                />
              ) : (
                <AssetGrid
                  items={items}
                  ordered={ordered}
                  total={total}
                  loadMore={loadMore}
                  actions={actions}
                  emptyText={emptyText}
                />
              )}
              <UploadPanel />
            </section>
          )}
          <aside className="library-inspector" aria-label="Preview and details">
            {previewId !== null && <PreviewSlot previewId={previewId} />}
            <MetadataPanel assetId={detailId} selection={selection} actions={actions} />
          </aside>
        </div>
      </ContextMenu>
      {dialog && <LibraryDialog dialog={dialog} assets={items} index={index} actions={actions} />}
      {dropActive && (
        <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
          <div className="drop-overlay__box">
            Drop files or folders to import into “{path[path.length - 1]?.name ?? 'Library'}”
          </div>
        </div>
      )}
    </div>
  );
}
