import {
  keepPreviousData,
  useInfiniteQuery,
  useQuery,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type { AssetSummary, Response } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { queryKeys } from '../../app/api/query-keys';
import { useApi } from '../../app/api/use-api';

/** The schedule's own asset lists (the library screen's caches have their own shape and key). */
const PANEL_KEY = ['schedule', 'library-panel'] as const;
export const PANEL_PAGE = 100;

export type PanelQuery = { folderId: number; recursive: boolean; text: string };
type Page = Response<'libraryQuery'>;

export function useFolderList() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.libraryFolders,
    queryFn: () => api.call('libraryFolders', {}),
  });
}

export function usePanelAssets(query: PanelQuery) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [...PANEL_KEY, query],
    queryFn: ({ pageParam }) =>
      api.call('libraryQuery', {
        folderId: query.folderId,
        recursive: query.recursive,
        ...(query.text.trim() ? { text: query.text.trim() } : {}),
        sort: 'name',
        offset: pageParam,
        limit: PANEL_PAGE,
      }),
    initialPageParam: 0,
    getNextPageParam: (last: Page, pages: Page[]) => {
      const loaded = pages.reduce((sum, page) => sum + page.items.length, 0);
      return loaded < last.total && last.items.length > 0 ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
  });
}

/** Asset state changes (ingest finishing) update the panel; a new asset refetches its list once. */
export function subscribePanelAssets(api: ApiClient, queryClient: QueryClient): () => void {
  const seen = new Set<string>();
  const offs = [
    api.on('assetChanged', (asset: AssetSummary) => {
      for (const query of queryClient.getQueryCache().findAll({ queryKey: PANEL_KEY })) {
        const data = query.state.data as InfiniteData<Page> | undefined;
        if (!data) continue;
        const held = data.pages.some((page) => page.items.some((item) => item.id === asset.id));
        if (held) {
          queryClient.setQueryData<InfiniteData<Page>>(query.queryKey, (old) =>
            old
              ? {
                  ...old,
                  pages: old.pages.map((page) => ({
                    ...page,
                    items: page.items.map((item) => (item.id === asset.id ? asset : item)),
                  })),
                }
              : old,
          );
        } else {
          const reason = `${query.queryHash}:${asset.id}:${asset.folderId}`;
          if (seen.has(reason)) continue;
          seen.add(reason);
          void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
        }
      }
    }),
    api.on('assetsRemoved', () => queryClient.invalidateQueries({ queryKey: PANEL_KEY })),
  ];
  return () => offs.forEach((off) => off());
}
