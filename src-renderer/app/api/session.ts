import type { QueryClient } from '@tanstack/react-query';
import type { AirdeckBridge } from '../../../src-shared/contract';
import {
  beginSession,
  requireToken,
  setConnectionState,
  useConnectionStore,
  type TokenCheck,
  type TransportKind,
} from '../../features/connection/store';
import { receiveClockTick, resetClock } from '../../features/clock/store';
import { subscribePlayoutEvents } from '../../features/channels-control/cache';
import { subscribeLibraryEvents } from '../../features/library/cache';
import { subscribeScheduleEvents } from '../../features/schedule/cache';
import { subscribeStorageEvents } from '../../features/storage/live-updates';
import { subscribePanelAssets } from '../../features/schedule/library-queries';
import { forgetToken, loadStoredToken, saveToken, takeTokenFromUrl } from './access-token';
import { createApiClient } from './api-client';
import { createIpcTransport } from './ipc-transport';
import { setMediaAccess, setMediaToken } from './media';
import { queryKeys } from './query-keys';
import type { ConnectionState, Transport } from './transport';
import { createWsTransport, wsUrl } from './ws-transport';

/**
 * One session = one transport to the core plus the wiring of its events into the stores. A new
 * token replaces the whole session, so nothing fetched with an old token survives.
 */
let endCurrentSession: (() => void) | null = null;

type SessionHooks = { onOpen?: () => void; onUnauthorized?: () => void };

function openSession(
  queryClient: QueryClient,
  transport: Transport,
  kind: TransportKind,
  tokenCheck: TokenCheck,
  hooks: SessionHooks = {},
) {
  endCurrentSession?.();
  queryClient.clear();
  resetClock();
  const api = createApiClient(transport);

  const onState = (state: ConnectionState) => {
    const wasConnected = useConnectionStore.getState().hasConnected;
    setConnectionState(state);
    if (state.kind === 'open') {
      hooks.onOpen?.();
      // Events sent while we were away are lost: catch up once, then events take over again.
      if (wasConnected) void queryClient.invalidateQueries();
    }
    if (state.kind === 'unauthorized') hooks.onUnauthorized?.();
  };

  // Core events patch exactly the data they carry; no refetch, no polling.
  const unsubscribes = [
    api.on('clockTick', ({ now }) => receiveClockTick(now)),
    api.on('healthTick', (health) => queryClient.setQueryData(queryKeys.health, health)),
    api.on('settingsChanged', (settings) => queryClient.setQueryData(queryKeys.settings, settings)),
    subscribeLibraryEvents(api, queryClient),
    subscribeScheduleEvents(api, queryClient),
    subscribePanelAssets(api, queryClient),
    subscribePlayoutEvents(api, queryClient),
    subscribeStorageEvents(api, queryClient),
    transport.onState(onState),
  ];
  beginSession(api, kind, tokenCheck);

  endCurrentSession = () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    transport.close();
  };
}

function openWsSession(queryClient: QueryClient, token: string, tokenCheck: TokenCheck) {
  const transport = createWsTransport(wsUrl(window.location, token));
  setMediaToken(token);
  openSession(queryClient, transport, 'ws', tokenCheck, {
    onOpen: () => saveToken(token),
    onUnauthorized: () => forgetToken(token),
  });
}

function desktopBridge(): AirdeckBridge | undefined {
  return (window as Window & { airdeck?: AirdeckBridge }).airdeck;
}

/** Picks the transport at start-up: Electron's preload if present, else `serve`'s WebSocket. */
export function startSession(queryClient: QueryClient): void {
  const bridge = desktopBridge();
  if (bridge) {
    setMediaToken(null);
    const transport = createIpcTransport(bridge);
    openSession(queryClient, transport, 'ipc', 'idle');
    void createApiClient(transport)
      .call('mediaAccess', {})
      .then(setMediaAccess, () => setMediaAccess({ baseUrl: null, token: null }));
    return;
  }
  const token = takeTokenFromUrl() ?? loadStoredToken();
  if (token) openWsSession(queryClient, token, 'idle');
  else requireToken(false);
}

/** Tries a token typed into the prompt; the prompt stays up until the core accepts it. */
export function connectWithToken(queryClient: QueryClient, token: string): void {
  openWsSession(queryClient, token, 'checking');
}
