import type { Query, QueryClient } from '@tanstack/react-query';
import type { AssetDetail, AssetSummary, Folder } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { queryKeys } from '../../app/api/query-keys';
import type { AssetPages, ViewQuery } from './queries';
import { forgetAssets } from './store';
import { noteAssetState } from './upload-store';

/**
 * Core events patch the library's caches surgically: an asset that changed is replaced where it
 * is listed, a removed one is taken out, and only a list that should now show an asset it does
 * not hold is refetched (that one list, once per state of that asset). No polling.
 */
export function subscribeLibraryEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('assetChanged', (asset) => applyAssetChanged(queryClient, asset)),
    api.on('assetsRemoved', ({ ids }) => applyAssetsRemoved(queryClient, ids)),
    api.on('foldersChanged', ({ folders }) => applyFoldersChanged(queryClient, folders)),
  ];
  return () => offs.forEach((off) => off());
}

function isInside(folderId: number, ancestorId: number, folders: Folder[] | undefined): boolean {
  if (folderId === ancestorId) return true;
  if (!folders) return false;
  const parentOf = new Map(folders.map((folder) => [folder.id, folder.parentId]));
  let current: number | null | undefined = parentOf.get(folderId);
  for (let guard = 0; current != null && guard < 1000; guard += 1) {
    if (current === ancestorId) return true;
    current = parentOf.get(current);
  }
  return false;
}

/**
 * Whether a list asking `view` should hold `asset`. Text and tag are matched leniently (words in
 * the name or a tag, case-insensitive): a false "yes" costs one refetch, a false "no" would hide
 * a row the core shows.
 */
export function matchesView(asset: AssetSummary, view: ViewQuery, folders?: Folder[]): boolean {
  if (view.folderId !== undefined) {
    const inside = view.recursive
      ? isInside(asset.folderId, view.folderId, folders)
      : asset.folderId === view.folderId;
    if (!inside) return false;
  }
  if (view.text) {
    // As the core searches: every word in the name or in one of the tags.
    const hay = [asset.name, ...asset.tags].map((s) => s.toLowerCase());
    const words = view.text.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.every((word) => hay.some((s) => s.includes(word)))) return false;
  }
  if (view.tag && !asset.tags.some((t) => t.toLowerCase() === view.tag!.toLowerCase())) {
    return false;
  }
  if (view.state && asset.state !== view.state) return false;
  if (view.videoCodec && asset.videoCodec?.toLowerCase() !== view.videoCodec.toLowerCase()) {
    return false;
  }
  if (view.minDurationMs !== undefined || view.maxDurationMs !== undefined) {
    if (asset.durationMs === null) return false;
    if (view.minDurationMs !== undefined && asset.durationMs < view.minDurationMs) return false;
    if (view.maxDurationMs !== undefined && asset.durationMs > view.maxDurationMs) return false;
  }
  return true;
}

function findIn(data: AssetPages, id: number): AssetSummary | undefined {
  for (const page of data.pages) {
    const hit = page.items.find((item) => item.id === id);
    if (hit) return hit;
  }
  return undefined;
}

function replaceIn(data: AssetPages, asset: AssetSummary): AssetPages {
  return {
    ...data,
    pages: data.pages.map((page) =>
      page.items.some((item) => item.id === asset.id)
        ? { ...page, items: page.items.map((item) => (item.id === asset.id ? asset : item)) }
        : page,
    ),
  };
}

function removeFrom(data: AssetPages, ids: ReadonlySet<number>): AssetPages {
  let removed = 0;
  const pages = data.pages.map((page) => {
    const items = page.items.filter((item) => !ids.has(item.id));
    removed += page.items.length - items.length;
    return items.length === page.items.length ? page : { ...page, items };
  });
  if (removed === 0) return data;
  // Every page carries the total; keep them in step so paging stays right.
  return {
    ...data,
    pages: pages.map((page) => ({ ...page, total: Math.max(0, page.total - removed) })),
  };
}

const sortValue = (asset: AssetSummary, view: ViewQuery) => {
  switch (view.sort ?? 'name') {
    case 'name':
      return asset.name;
    case 'createdAt':
      return asset.createdAt;
    case 'durationMs':
      return asset.durationMs;
    case 'state':
      return asset.state;
    case 'sizeBytes':
      return asset.sizeBytes;
  }
};

/** Per list: which asset versions already caused a refetch, so progress ticks never storm. */
const refetchedFor = new WeakMap<Query, Set<string>>();

function refetchOnce(queryClient: QueryClient, query: Query, reason: string) {
  let seen = refetchedFor.get(query);
  if (!seen) {
    seen = new Set();
    refetchedFor.set(query, seen);
  }
  if (seen.has(reason)) return;
  seen.add(reason);
  void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
}

export function applyAssetChanged(queryClient: QueryClient, asset: AssetSummary): void {
  noteAssetState(asset);
  const folders = queryClient.getQueryData<Folder[]>(queryKeys.libraryFolders);
  const lists = queryClient.getQueryCache().findAll({ queryKey: queryKeys.libraryQueries });
  for (const query of lists) {
    const data = query.state.data as AssetPages | undefined;
    if (!data) continue;
    const view = query.queryKey[2] as ViewQuery;
    const held = findIn(data, asset.id);
    const belongs = matchesView(asset, view, folders);
    if (held && belongs) {
      queryClient.setQueryData<AssetPages>(query.queryKey, (old) =>
        old ? replaceIn(old, asset) : old,
      );
      // Its place in the order may have changed: ask once for the new order.
      if (sortValue(held, view) !== sortValue(asset, view)) {
        refetchOnce(queryClient, query, `${asset.id}:sort:${String(sortValue(asset, view))}`);
      }
    } else if (held) {
      queryClient.setQueryData<AssetPages>(query.queryKey, (old) =>
        old ? removeFrom(old, new Set([asset.id])) : old,
      );
    } else if (belongs) {
      refetchOnce(queryClient, query, `${asset.id}:${asset.folderId}:${asset.state}:${asset.name}`);
    }
  }

  const detailKey = queryKeys.libraryAsset(asset.id);
  const detail = queryClient.getQueryData<AssetDetail>(detailKey);
  if (detail) {
    queryClient.setQueryData<AssetDetail>(detailKey, { ...detail, ...asset });
    // Probe data, renditions and the filmstrip arrive with state changes, not with progress.
    if (detail.state !== asset.state) {
      void queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
    }
  }
}

export function applyAssetsRemoved(queryClient: QueryClient, ids: readonly number[]): void {
  const gone = new Set(ids);
  for (const query of queryClient.getQueryCache().findAll({ queryKey: queryKeys.libraryQueries })) {
    if (!query.state.data) continue;
    queryClient.setQueryData<AssetPages>(query.queryKey, (old) =>
      old ? removeFrom(old, gone) : old,
    );
  }
  for (const id of ids) {
    queryClient.removeQueries({ queryKey: queryKeys.libraryAsset(id), exact: true });
  }
  forgetAssets(ids);
}

export function applyFoldersChanged(queryClient: QueryClient, folders: Folder[]): void {
  const before = queryClient.getQueryData<Folder[]>(queryKeys.libraryFolders);
  queryClient.setQueryData(queryKeys.libraryFolders, folders);
  // A folder moved: lists that include sub-folders may now cover other assets.
  const shape = (list: Folder[] | undefined) =>
    (list ?? [])
      .map((f) => `${f.id}>${f.parentId}`)
      .sort()
      .join(',');
  if (before && shape(before) !== shape(folders)) {
    for (const query of queryClient
      .getQueryCache()
      .findAll({ queryKey: queryKeys.libraryQueries })) {
      const view = query.queryKey[2] as ViewQuery;
      if (view.recursive && view.folderId !== undefined) {
        void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      }
    }
  }
}
