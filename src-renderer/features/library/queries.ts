import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import type { AssetQuery, Folder, Response } from '../../../src-shared/contract';
import { queryKeys } from '../../app/api/query-keys';
import { useApi } from '../../app/api/use-api';
import { parseDurationInput } from './format';
import type { Filters, SortDirection, SortField } from './store';

/** How many assets one page of a list asks for; more load as the operator scrolls. */
export const PAGE_SIZE = 300;

/** A list's question to the core, without paging. Part of the query key. */
export type ViewQuery = Omit<AssetQuery, 'offset' | 'limit'>;
export type AssetPage = Response<'libraryQuery'>;
export type AssetPages = InfiniteData<AssetPage, number>;

export function assetQueryKey(view: ViewQuery) {
  return [...queryKeys.libraryQueries, view] as const;
}

export function buildViewQuery(options: {
  folderId: number;
  recursive: boolean;
  filters: Filters;
  sort: SortField;
  direction: SortDirection;
}): ViewQuery {
  const { filters } = options;
  const view: ViewQuery = {
    folderId: options.folderId,
    recursive: options.recursive,
    sort: options.sort,
    direction: options.direction,
  };
  // Undefined keys are left out so equal questions share one cache entry.
  if (filters.text.trim()) view.text = filters.text.trim();
  if (filters.tag.trim()) view.tag = filters.tag.trim();
  if (filters.state) view.state = filters.state;
  if (filters.codec.trim()) view.videoCodec = filters.codec.trim();
  const min = parseDurationInput(filters.minDuration);
  const max = parseDurationInput(filters.maxDuration);
  if (typeof min === 'number') view.minDurationMs = min;
  if (typeof max === 'number') view.maxDurationMs = max;
  return view;
}

export function useFolders() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.libraryFolders,
    queryFn: () => api.call('libraryFolders', {}),
  });
}

/** Pages of a folder's (or a search's) assets; patched in place by core events (cache.ts). */
export function useAssetPages(view: ViewQuery) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: assetQueryKey(view),
    queryFn: ({ pageParam }) =>
      api.call('libraryQuery', { ...view, offset: pageParam, limit: PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: (last: AssetPage, pages: AssetPage[]) => {
      const loaded = pages.reduce((sum, page) => sum + page.items.length, 0);
      return loaded < last.total && last.items.length > 0 ? loaded : undefined;
    },
    // Typing in the search box keeps the old rows up until the new answer is in.
    placeholderData: keepPreviousData,
  });
}

export function useAssetDetail(id: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.libraryAsset(id ?? 0),
    queryFn: () => api.call('libraryAsset', { id: id! }),
    enabled: id !== null,
  });
}

/** Every mutation answers with what changed; the events that follow patch the other windows. */
export function useLibraryMutations() {
  const api = useApi();
  const queryClient = useQueryClient();
  const setFolders = (folders: Folder[]) =>
    queryClient.setQueryData(queryKeys.libraryFolders, folders);
  const refreshFolders = async () => setFolders(await api.call('libraryFolders', {}));

  return {
    createFolder: useMutation({
      mutationFn: (input: { parentId: number; name: string }) =>
        api.call('libraryCreateFolder', input),
      onSuccess: refreshFolders,
    }),
    renameFolder: useMutation({
      mutationFn: (input: { id: number; name: string }) => api.call('libraryRenameFolder', input),
      onSuccess: refreshFolders,
    }),
    moveFolder: useMutation({
      mutationFn: (input: { id: number; parentId: number }) => api.call('libraryMoveFolder', input),
      onSuccess: refreshFolders,
    }),
    deleteFolder: useMutation({
      mutationFn: (input: { id: number }) => api.call('libraryDeleteFolder', input),
      onSuccess: refreshFolders,
    }),
    renameAsset: useMutation({
      mutationFn: (input: { id: number; name: string }) => api.call('libraryRenameAsset', input),
    }),
    setTags: useMutation({
      mutationFn: (input: { id: number; tags: string[] }) => api.call('librarySetTags', input),
    }),
    moveAssets: useMutation({
      mutationFn: (input: { ids: number[]; folderId: number }) =>
        api.call('libraryMoveAssets', input),
    }),
    deleteAssets: useMutation({
      mutationFn: (input: { ids: number[]; force?: boolean }) =>
        api.call('libraryDeleteAssets', input),
    }),
    retryIngest: useMutation({
      mutationFn: (id: number) => api.call('ingestRetry', { id }),
    }),
    cancelIngest: useMutation({
      mutationFn: (id: number) => api.call('ingestCancel', { id }),
    }),
  };
}
export type LibraryMutations = ReturnType<typeof useLibraryMutations>;
