import type { Folder } from '../../../src-shared/contract';
import { ROOT_FOLDER_ID } from './store';

export type FolderIndex = {
  byId: Map<number, Folder>;
  children: Map<number | null, Folder[]>;
  /** Root first, down to `id`. */
  pathTo(id: number): Folder[];
  /** Assets in the folder and all its sub-folders. */
  deepCount(id: number): number;
  /** The folder and every descendant, depth-first in display order, with depth. */
  flatten(rootId?: number, isOpen?: (id: number) => boolean): { folder: Folder; depth: number }[];
};

const byName = (a: Folder, b: Folder) =>
  a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });

export function indexFolders(folders: Folder[]): FolderIndex {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const children = new Map<number | null, Folder[]>();
  for (const folder of folders) {
    const list = children.get(folder.parentId) ?? [];
    list.push(folder);
    children.set(folder.parentId, list);
  }
  for (const list of children.values()) list.sort(byName);

  const pathTo = (id: number) => {
    const path: Folder[] = [];
    let current = byId.get(id);
    for (let guard = 0; current && guard < 1000; guard += 1) {
      path.unshift(current);
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return path;
  };
  const deepCount = (id: number): number =>
    (byId.get(id)?.assetCount ?? 0) +
    (children.get(id) ?? []).reduce((sum, child) => sum + deepCount(child.id), 0);
  const flatten = (rootId = ROOT_FOLDER_ID, isOpen: (id: number) => boolean = () => true) => {
    const out: { folder: Folder; depth: number }[] = [];
    const walk = (folder: Folder, depth: number) => {
      out.push({ folder, depth });
      if (!isOpen(folder.id)) return;
      for (const child of children.get(folder.id) ?? []) walk(child, depth + 1);
    };
    const root = byId.get(rootId);
    if (root) walk(root, 0);
    else for (const top of children.get(null) ?? []) walk(top, 0);
    return out;
  };
  return { byId, children, pathTo, deepCount, flatten };
}
