import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { openContextMenuFor } from '../../ui';
import { endDrag, startAssetDrag } from './dnd';
import {
  clearSelection,
  openDialog,
  openMenu,
  openPreview,
  selectMany,
  selectOnly,
  selectRange,
  setFocus,
  startRename,
  toggleSelected,
  useLibraryUi,
} from './store';

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Mouse, drag and context-menu behaviour of one row or card. */
export function itemHandlers(
  asset: AssetSummary,
  items: readonly AssetSummary[],
  ordered: readonly number[],
) {
  return {
    onClick(event: MouseEvent) {
      if (event.shiftKey) selectRange(ordered, asset.id, event.ctrlKey || event.metaKey);
      else if (event.ctrlKey || event.metaKey) toggleSelected(asset.id);
      else selectOnly(asset.id);
    },
    onDoubleClick() {
      selectOnly(asset.id);
      openPreview(asset.id);
    },
    // The library's ContextMenu around the pane opens the menu; this says which asset it is for.
    onContextMenu(event: MouseEvent) {
      if (!useLibraryUi.getState().selected.has(asset.id)) selectOnly(asset.id);
      else setFocus(asset.id);
      openMenu({ kind: 'asset', x: event.clientX, y: event.clientY, assetId: asset.id });
    },
    draggable: true,
    onDragStart(event: DragEvent) {
      const { selected } = useLibraryUi.getState();
      let ids = [asset.id];
      if (selected.has(asset.id)) ids = ordered.filter((id) => selected.has(id));
      else selectOnly(asset.id);
      const inDrag = new Set(ids);
      const from = [...new Set(items.filter((i) => inDrag.has(i.id)).map((i) => i.folderId))];
      const label = ids.length === 1 ? asset.name : `${ids.length} assets`;
      startAssetDrag(event, ids, from, label);
    },
    onDragEnd: endDrag,
  };
}

/**
 * Keys of the asset pane. `columns` is 1 for the list; the grid passes its column count so the
 * arrows move in two dimensions.
 */
export function paneKeyHandler(options: {
  ordered: readonly number[];
  columns: number;
  scrollToIndex: (index: number) => void;
  elementFor: (id: number) => HTMLElement | null;
}) {
  const { ordered, columns, scrollToIndex, elementFor } = options;
  return (event: KeyboardEvent) => {
    if (isEditable(event.target)) return;
    const ui = useLibraryUi.getState();
    const ctrl = event.ctrlKey || event.metaKey;
    const selectedIds = ordered.filter((id) => ui.selected.has(id));
    const focusIndex = ui.focusId !== null ? ordered.indexOf(ui.focusId) : -1;
    const current = focusIndex >= 0 ? ui.focusId! : (selectedIds[0] ?? null);

    const moveTo = (index: number) => {
      if (ordered.length === 0) return;
      const clamped = Math.max(0, Math.min(ordered.length - 1, index));
      const id = ordered[clamped]!;
      if (event.shiftKey) selectRange(ordered, id);
      else if (ctrl) setFocus(id);
      else selectOnly(id);
      scrollToIndex(clamped);
    };
    const from = focusIndex >= 0 ? focusIndex : -1;

    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(from < 0 ? 0 : from + columns);
        break;
      case 'ArrowUp':
        moveTo(from < 0 ? 0 : from - columns);
        break;
      case 'ArrowRight':
        if (columns > 1) moveTo(from + 1);
        else handled = false;
        break;
      case 'ArrowLeft':
        if (columns > 1) moveTo(Math.max(0, from - 1));
        else handled = false;
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(ordered.length - 1);
        break;
      case ' ':
        if (ctrl && current !== null) toggleSelected(current);
        else handled = false;
        break;
      case 'a':
      case 'A':
        if (ctrl) selectMany(ordered);
        else handled = false;
        break;
      case 'Escape':
        clearSelection();
        break;
      case 'Enter':
        if (current !== null) openPreview(current);
        break;
      case 'F2':
        if (current !== null) {
          selectOnly(current);
          startRename(current);
        }
        break;
      case 'Delete':
        if (selectedIds.length > 0) openDialog({ kind: 'deleteAssets', ids: selectedIds });
        break;
      case 'm':
      case 'M':
        if (!ctrl && selectedIds.length > 0) openDialog({ kind: 'moveAssets', ids: selectedIds });
        else handled = false;
        break;
      case 't':
      case 'T':
        if (!ctrl && selectedIds.length > 0) openDialog({ kind: 'tags', ids: selectedIds });
        else handled = false;
        break;
      case 'ContextMenu':
      case 'F10': {
        if (event.key === 'F10' && !event.shiftKey) {
          handled = false;
          break;
        }
        if (current === null) break;
        const element = elementFor(current);
        const rect = element?.getBoundingClientRect();
        openMenu({
          kind: 'asset',
          x: rect ? rect.left + 40 : 200,
          y: rect ? rect.bottom : 200,
          assetId: current,
        });
        openContextMenuFor(element);
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
}
