import type { QueryClient } from '@tanstack/react-query';
import type {
  CacheAlarm,
  CacheStatus,
  StorageBrowseResult,
  StorageObject,
} from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { noteDownload, noteDownloads } from './download-store';
import { storageKeys } from './keys';
import type { BrowsePages } from './queries';

/**
 * Core events patch the storage caches in place: locations, cache and publishing status are
 * replaced, a finished download marks its object cached, a deleted asset un-marks its object.
 * No polling.
 */
export function subscribeStorageEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('storageLocationsChanged', (reply) =>
      queryClient.setQueryData(storageKeys.locations, reply),
    ),
    api.on('cacheChanged', (status) => {
      queryClient.setQueryData(storageKeys.cache, status);
      noteDownloads(status.downloads);
    }),
    api.on('cacheAlarm', (alarm) => applyCacheAlarm(queryClient, alarm)),
    api.on('publishingChanged', (status) =>
      queryClient.setQueryData(storageKeys.publishing, status),
    ),
    api.on('downloadProgress', (progress) => {
      noteDownload(progress);
      if (progress.state === 'done') {
        patchObjects(queryClient, progress.locationId, (object) =>
          object.key === progress.key && !object.cached ? { ...object, cached: true } : object,
        );
      }
    }),
    api.on('assetsRemoved', ({ ids }) => {
      const gone = new Set(ids);
      patchObjects(queryClient, null, (object) =>
        object.assetId !== null && gone.has(object.assetId) ? { ...object, assetId: null } : object,
      );
    }),
  ];
  return () => offs.forEach((off) => off());
}

function applyCacheAlarm(queryClient: QueryClient, alarm: CacheAlarm): void {
  queryClient.setQueryData<CacheStatus>(storageKeys.cache, (old) => {
    if (!old) return old;
    const others = old.alarms.filter((a) => a.id !== alarm.id);
    return { ...old, alarms: alarm.cleared ? others : [...others, alarm] };
  });
}

/** Rewrites objects in every loaded listing of `locationId` (null: of every location). */
export function patchObjects(
  queryClient: QueryClient,
  locationId: number | null,
  change: (object: StorageObject) => StorageObject,
): void {
  const queryKey =
    locationId === null ? storageKeys.browseAll : [...storageKeys.browseAll, locationId];
  for (const query of queryClient.getQueryCache().findAll({ queryKey })) {
    const data = query.state.data as BrowsePages | undefined;
    if (!data) continue;
    let touched = false;
    const pages = data.pages.map((page): StorageBrowseResult => {
      let changed = false;
      const objects = page.objects.map((object) => {
        const next = change(object);
        if (next !== object) changed = true;
        return next;
      });
      touched ||= changed;
      return changed ? { ...page, objects } : page;
    });
    if (touched) queryClient.setQueryData<BrowsePages>(query.queryKey, { ...data, pages });
  }
}

/** Writes the assets an import made (or found) onto their objects. */
export function applyImported(
  queryClient: QueryClient,
  locationId: number,
  assets: readonly { key: string; assetId: number | null }[],
): void {
  const byKey = new Map(
    assets.filter((a) => a.assetId !== null).map((a) => [a.key, a.assetId as number]),
  );
  if (byKey.size === 0) return;
  patchObjects(queryClient, locationId, (object) => {
    const assetId = byKey.get(object.key);
    return assetId !== undefined && object.assetId !== assetId ? { ...object, assetId } : object;
  });
}
