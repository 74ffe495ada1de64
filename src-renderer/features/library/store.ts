import { toast } from '../../ui';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { AssetState } from '../../../src-shared/contract';

export const ROOT_FOLDER_ID = 1;

export type ViewMode = 'list' | 'grid';
export type SortField = 'name' | 'createdAt' | 'durationMs' | 'state' | 'sizeBytes';
export type SortDirection = 'asc' | 'desc';

/** This operator's way of looking at the library. UI choices only: no station data. */
type LibraryPrefs = {
  view: ViewMode;
  sort: SortField;
  direction: SortDirection;
  /** Show assets of sub-folders too. */
  recursive: boolean;
  /** Folder ids open in the tree. */
  expanded: number[];
};

export const useLibraryPrefs = create<LibraryPrefs>()(
  persist(
    (): LibraryPrefs => ({
      view: 'list',
      sort: 'name',
      direction: 'asc',
      recursive: false,
      expanded: [ROOT_FOLDER_ID],
    }),
    {
      name: 'airdeck.library-prefs',
      version: 1,
      storage: createJSONStorage(() => localStorage),
    },
  ),
);

export function setView(view: ViewMode) {
  useLibraryPrefs.setState({ view });
}
export function setSort(sort: SortField, direction?: SortDirection) {
  useLibraryPrefs.setState((prefs) => ({
    sort,
    direction: direction ?? (prefs.sort === sort && prefs.direction === 'asc' ? 'desc' : 'asc'),
  }));
}
export function setDirection(direction: SortDirection) {
  useLibraryPrefs.setState({ direction });
}
export function setRecursive(recursive: boolean) {
  useLibraryPrefs.setState({ recursive });
}
export function setExpanded(folderId: number, open: boolean) {
  useLibraryPrefs.setState((prefs) => {
    const has = prefs.expanded.includes(folderId);
    if (open === has) return prefs;
    return {
      expanded: open
        ? [...prefs.expanded, folderId]
        : prefs.expanded.filter((id) => id !== folderId),
    };
  });
}

export type Filters = {
  text: string;
  tag: string;
  state: AssetState | '';
  codec: string;
  /** As typed ("1:30"); parsed when the query is built. */
  minDuration: string;
  maxDuration: string;
};

export const emptyFilters: Filters = {
  text: '',
  tag: '',
  state: '',
  codec: '',
  minDuration: '',
  maxDuration: '',
};

export type ContextMenuState =
  | { kind: 'asset'; x: number; y: number; assetId: number }
  | { kind: 'folder'; x: number; y: number; folderId: number };

export type DialogState =
  | { kind: 'deleteAssets'; ids: number[] }
  | { kind: 'newFolder'; parentId: number }
  | { kind: 'renameFolder'; folderId: number }
  | { kind: 'deleteFolder'; folderId: number }
  | { kind: 'moveAssets'; ids: number[] }
  | { kind: 'tags'; ids: number[] };

/** A folder of a storage location: its key prefix ('' for the location's top). */
export type StoragePlace = { locationId: number; prefix: string };

/** Where the operator is and what they picked: live UI state, not persisted. */
type LibraryUi = {
  folderId: number;
  /** A storage location's folder open instead of a library folder (null: the library). */
  storage: StoragePlace | null;
  filters: Filters;
  selected: ReadonlySet<number>;
  /** Where a shift-click range starts. */
  anchorId: number | null;
  /** The keyboard cursor. */
  focusId: number | null;
  renamingId: number | null;
  previewId: number | null;
  menu: ContextMenuState | null;
  dialog: DialogState | null;
};

const noSelection: ReadonlySet<number> = new Set();

export const useLibraryUi = create<LibraryUi>()(() => ({
  folderId: ROOT_FOLDER_ID,
  storage: null,
  filters: emptyFilters,
  selected: noSelection,
  anchorId: null,
  focusId: null,
  renamingId: null,
  previewId: null,
  menu: null,
  dialog: null,
}));

export function openFolder(folderId: number) {
  useLibraryUi.setState((ui) =>
    ui.folderId === folderId && ui.storage === null
      ? ui
      : {
          folderId,
          storage: null,
          selected: noSelection,
          anchorId: null,
          focusId: null,
          renamingId: null,
        },
  );
}

/** Browses a storage location; the library folder stays the default target of imports. */
export function openStorage(locationId: number, prefix = '') {
  useLibraryUi.setState((ui) =>
    ui.storage?.locationId === locationId && ui.storage.prefix === prefix
      ? ui
      : {
          storage: { locationId, prefix },
          selected: noSelection,
          anchorId: null,
          focusId: null,
          renamingId: null,
          menu: null,
        },
  );
}

export function setFilters(patch: Partial<Filters>) {
  useLibraryUi.setState((ui) => ({ filters: { ...ui.filters, ...patch } }));
}
export function clearFilters() {
  useLibraryUi.setState({ filters: emptyFilters });
}

// Selection. `ordered` is the visible order, needed for ranges.
export function selectOnly(id: number) {
  useLibraryUi.setState({ selected: new Set([id]), anchorId: id, focusId: id });
}
export function toggleSelected(id: number) {
  useLibraryUi.setState((ui) => {
    const selected = new Set(ui.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchorId: id, focusId: id };
  });
}
export function selectRange(ordered: readonly number[], id: number, additive = false) {
  useLibraryUi.setState((ui) => {
    const anchor = ui.anchorId ?? id;
    const from = ordered.indexOf(anchor);
    const to = ordered.indexOf(id);
    if (from < 0 || to < 0) return { selected: new Set([id]), anchorId: id, focusId: id };
    const [lo, hi] = from < to ? [from, to] : [to, from];
    const selected = additive ? new Set(ui.selected) : new Set<number>();
    for (const item of ordered.slice(lo, hi + 1)) selected.add(item);
    return { selected, focusId: id };
  });
}
export function selectMany(ids: Iterable<number>, base: ReadonlySet<number> = noSelection) {
  const selected = new Set(base);
  for (const id of ids) selected.add(id);
  useLibraryUi.setState({ selected });
}
export function clearSelection() {
  useLibraryUi.setState({ selected: noSelection, anchorId: null });
}
export function setFocus(id: number | null) {
  useLibraryUi.setState({ focusId: id });
}

/** Drops assets that no longer exist from every piece of UI state that points at them. */
export function forgetAssets(ids: readonly number[]) {
  const gone = new Set(ids);
  useLibraryUi.setState((ui) => {
    if (
      ![...ui.selected].some((id) => gone.has(id)) &&
      !gone.has(ui.previewId ?? -1) &&
      !gone.has(ui.focusId ?? -1) &&
      !gone.has(ui.renamingId ?? -1) &&
      !(ui.menu?.kind === 'asset' && gone.has(ui.menu.assetId))
    ) {
      return ui;
    }
    return {
      selected: new Set([...ui.selected].filter((id) => !gone.has(id))),
      previewId: gone.has(ui.previewId ?? -1) ? null : ui.previewId,
      focusId: gone.has(ui.focusId ?? -1) ? null : ui.focusId,
      anchorId: gone.has(ui.anchorId ?? -1) ? null : ui.anchorId,
      renamingId: gone.has(ui.renamingId ?? -1) ? null : ui.renamingId,
      menu: ui.menu?.kind === 'asset' && gone.has(ui.menu.assetId) ? null : ui.menu,
    };
  });
}

export function startRename(id: number) {
  useLibraryUi.setState({ renamingId: id, menu: null });
}
export function stopRename() {
  useLibraryUi.setState({ renamingId: null });
}
export function openPreview(id: number) {
  useLibraryUi.setState({ previewId: id, menu: null });
}
export function closePreview() {
  useLibraryUi.setState({ previewId: null });
}
export function openMenu(menu: ContextMenuState) {
  useLibraryUi.setState({ menu });
}
export function closeMenu() {
  useLibraryUi.setState({ menu: null });
}
export function openDialog(dialog: DialogState) {
  useLibraryUi.setState({ dialog, menu: null, renamingId: null });
}
export function closeDialog() {
  useLibraryUi.setState({ dialog: null });
}

/** A one-line message under the toolbar: the outcome of something the operator asked for. */
/** The library's running status line: one toast, each new message replacing the last. */
export function showNotice(tone: 'error' | 'info', text: string) {
  toast(text, tone, { testId: 'library-notice', replace: true });
}

/**
 * What Ctrl+Z takes back in the library: the last renames, each as the call that reverses it.
 * Kept per window and short; the core's own state is the truth, this only replays a rename.
 */
type LibraryUndo = { label: string; run: () => void };
const UNDO_DEPTH = 20;
export const useLibraryUndo = create<{ stack: LibraryUndo[] }>()(() => ({ stack: [] }));
export function pushLibraryUndo(entry: LibraryUndo) {
  useLibraryUndo.setState((s) => ({ stack: [...s.stack, entry].slice(-UNDO_DEPTH) }));
}
export function popLibraryUndo(): LibraryUndo | undefined {
  const entry = useLibraryUndo.getState().stack.at(-1);
  if (entry) useLibraryUndo.setState((s) => ({ stack: s.stack.slice(0, -1) }));
  return entry;
}
