import type { DragEvent } from 'react';
import type { Folder } from '../../../src-shared/contract';

/** Our own drag payloads; anything else (text, links, OS files) is never taken for a move. */
export const ASSETS_MIME = 'application/x-airdeck-assets';
export const FOLDER_MIME = 'application/x-airdeck-folder';

/**
 * The drag in progress inside this window. `dragover` cannot read the payload (the browser
 * hides it until `drop`), but it must decide whether a folder accepts the drop.
 */
type ActiveDrag =
  { kind: 'assets'; ids: number[]; fromFolderIds: number[] } | { kind: 'folder'; id: number };
let activeDrag: ActiveDrag | null = null;

export function startAssetDrag(
  event: DragEvent,
  ids: number[],
  fromFolderIds: number[],
  label: string,
) {
  activeDrag = { kind: 'assets', ids, fromFolderIds };
  event.dataTransfer.setData(ASSETS_MIME, JSON.stringify(ids));
  event.dataTransfer.setData('text/plain', label);
  event.dataTransfer.effectAllowed = 'move';
}

export function startFolderDrag(event: DragEvent, id: number, label: string) {
  activeDrag = { kind: 'folder', id };
  event.dataTransfer.setData(FOLDER_MIME, String(id));
  event.dataTransfer.setData('text/plain', label);
  event.dataTransfer.effectAllowed = 'move';
}

export function endDrag() {
  activeDrag = null;
}

export function isOsFileDrag(event: DragEvent): boolean {
  return event.dataTransfer.types.includes('Files') && activeDrag === null;
}

function isInside(folderId: number, ancestorId: number, folders: Folder[]): boolean {
  const parentOf = new Map(folders.map((f) => [f.id, f.parentId]));
  let current: number | null | undefined = folderId;
  for (let guard = 0; current != null && guard < 1000; guard += 1) {
    if (current === ancestorId) return true;
    current = parentOf.get(current);
  }
  return false;
}

/** Whether `targetId` accepts what is being dragged (a folder never goes into itself). */
export function acceptsDrop(event: DragEvent, targetId: number, folders: Folder[]): boolean {
  const types = event.dataTransfer.types;
  if (types.includes(ASSETS_MIME)) {
    if (activeDrag?.kind === 'assets') {
      return activeDrag.fromFolderIds.some((id) => id !== targetId);
    }
    return true;
  }
  if (types.includes(FOLDER_MIME)) {
    if (activeDrag?.kind === 'folder') return !isInside(targetId, activeDrag.id, folders);
    return true;
  }
  return false;
}

export type DropPayload = { kind: 'assets'; ids: number[] } | { kind: 'folder'; id: number };

export function readDrop(event: DragEvent): DropPayload | null {
  const assets = event.dataTransfer.getData(ASSETS_MIME);
  if (assets) {
    try {
      const ids = (JSON.parse(assets) as unknown[]).filter(
        (id): id is number => typeof id === 'number' && Number.isInteger(id) && id > 0,
      );
      return ids.length > 0 ? { kind: 'assets', ids } : null;
    } catch {
      return null;
    }
  }
  const folder = Number(event.dataTransfer.getData(FOLDER_MIME));
  if (Number.isInteger(folder) && folder > 0) return { kind: 'folder', id: folder };
  return null;
}
