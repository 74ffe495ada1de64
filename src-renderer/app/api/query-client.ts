import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

/**
 * Server data is kept fresh by core events, never by timers: nothing goes stale on its own,
 * and window focus or browser "online" events do not refetch. After a reconnect the session
 * invalidates everything once (see session.ts).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // A refused or invalid call will fail the same way again; only a lost connection is retried.
        retry: (failures, error) =>
          failures < 3 && (!(error instanceof ApiError) || error.code === 'unavailable'),
      },
      mutations: { retry: false },
    },
  });
}
