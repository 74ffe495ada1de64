import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import type {
  CacheSettings,
  CacheStatus,
  StorageBrowseResult,
  StorageLocation,
  StorageLocationInput,
  StorageLocationPatch,
} from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { noteDownloads } from './download-store';
import { applyImported } from './live-updates';
import { storageKeys } from './keys';

/** One listing page asks for this many entries; the next page loads as the list scrolls. */
export const BROWSE_PAGE_SIZE = 500;

export type BrowsePages = InfiniteData<StorageBrowseResult, string | null>;

type LocationsReply = { locations: StorageLocation[] };

/** Every configured location; kept current by `storageLocationsChanged` (live-updates.ts). */
export function useStorageLocations() {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.locations,
    queryFn: () => api.call('storageLocationsList', {}),
    select: (reply: LocationsReply) => reply.locations,
  });
}

/** One folder of a location, page after page (S3 lists at most 1000 keys per request). */
export function useBrowse(locationId: number, prefix: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: storageKeys.browse(locationId, prefix),
    queryFn: ({ pageParam }) =>
      api.call('storageBrowse', {
        locationId,
        prefix,
        continuationToken: pageParam,
        limit: BROWSE_PAGE_SIZE,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: StorageBrowseResult) => last.nextContinuationToken ?? undefined,
    // A bucket changes behind our back (other uploaders): a listing is fetched afresh on open.
    staleTime: 0,
  });
}

/** Size, entries, free disk, downloads and alarms; kept current by `cacheChanged`. */
export function useCacheStatus() {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.cache,
    queryFn: async () => {
      const status = await api.call('cacheStatus', {});
      noteDownloads(status.downloads);
      return status;
    },
  });
}

/** Published / pending / failed assets per location; kept current by `publishingChanged`. */
export function usePublishingStatus() {
  const api = useApi();
  return useQuery({
    queryKey: storageKeys.publishing,
    queryFn: () => api.call('storagePublishingStatus', {}),
  });
}

export function useStorageMutations() {
  const api = useApi();
  const queryClient = useQueryClient();
  // The reply is written at once; the event that follows says the same to every other window.
  const setLocation = (location: StorageLocation) =>
    queryClient.setQueryData<LocationsReply>(storageKeys.locations, (old) => {
      if (!old) return old;
      const others = old.locations.filter((l) => l.id !== location.id);
      return { locations: [...others, location].sort((a, b) => a.id - b.id) };
    });

  return {
    add: useMutation({
      mutationFn: (input: StorageLocationInput) => api.call('storageLocationsAdd', input),
      onSuccess: setLocation,
    }),
    update: useMutation({
      mutationFn: (patch: StorageLocationPatch) => api.call('storageLocationsUpdate', patch),
      onSuccess: (location) => {
        setLocation(location);
        // Another bucket or prefix lists other objects.
        void queryClient.invalidateQueries({
          queryKey: [...storageKeys.browseAll, location.id],
        });
      },
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.call('storageLocationsRemove', { id }),
      onSuccess: ({ id }) =>
        queryClient.setQueryData<LocationsReply>(storageKeys.locations, (old) =>
          old ? { locations: old.locations.filter((l) => l.id !== id) } : old,
        ),
    }),
    test: useMutation({
      mutationFn: (target: { id: number } | { draft: StorageLocationInput }) =>
        api.call('storageLocationsTest', target),
    }),
    /** Assets per object (an object imported before answers with its asset). */
    importObjects: useMutation({
      mutationFn: (input: { locationId: number; keys: string[]; folderId: number }) =>
        api.call('storageImport', input),
      onSuccess: ({ assets }, { locationId }) => applyImported(queryClient, locationId, assets),
    }),
    saveCacheSettings: useMutation({
      mutationFn: (patch: Partial<CacheSettings>) => api.call('cacheSettingsSet', patch),
      onSuccess: (settings) =>
        queryClient.setQueryData<CacheStatus>(storageKeys.cache, (old) =>
          old ? { ...old, settings } : old,
        ),
    }),
    pin: useMutation({
      mutationFn: (input: { assetId: number; pinned: boolean }) => api.call('cachePin', input),
      onSuccess: ({ assetId, pinned }) =>
        queryClient.setQueryData<CacheStatus>(storageKeys.cache, (old) => {
          if (!old) return old;
          const others = old.pinnedAssetIds.filter((id) => id !== assetId);
          return { ...old, pinnedAssetIds: pinned ? [...others, assetId] : others };
        }),
    }),
  };
}
