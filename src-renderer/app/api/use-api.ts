import { useConnectionStore } from '../../features/connection/store';
import type { ApiClient } from './api-client';

/** The current session's client. Screens render only inside a session, so it is always there. */
export function useApi(): ApiClient {
  const api = useConnectionStore((store) => store.api);
  if (!api) throw new Error('useApi() was called outside a connected session');
  return api;
}
