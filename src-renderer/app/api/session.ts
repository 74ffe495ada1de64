import type { QueryClient } from '@tanstack/react-query';
import type { AirdeckBridge, AuthStatus } from '../../../src-shared/contract';
import {
  beginSession,
  setConnectionState,
  useConnectionStore,
  type TransportKind,
} from '../../features/connection/store';
import { applyAuthStatus, signedOut, useAuthStore } from '../../features/auth/store';
import { httpAuthClient, ipcAuthClient, type AuthClient } from '../../features/auth/auth-client';
import { receiveClockTick, resetClock } from '../../features/clock/store';
import { subscribePlayoutEvents } from '../../features/channels-control/cache';
import { subscribeLibraryEvents } from '../../features/library/cache';
import { subscribePeopleEvents } from '../../features/people/cache';
import { subscribeScheduleEvents } from '../../features/schedule/cache';
import { subscribeStorageEvents } from '../../features/storage/live-updates';
import { subscribePanelAssets } from '../../features/schedule/library-queries';
import { subscribeChatEvents } from '../../features/chat/cache';
import { subscribeShiftsEvents } from '../../features/shifts/cache';
import { createApiClient } from './api-client';
import { createIpcTransport } from './ipc-transport';
import { setMediaAccess, setMediaToken } from './media';
import { queryKeys } from './query-keys';
import type { ConnectionState, Transport } from './transport';
import { createWsTransport, wsUrl } from './ws-transport';

/**
 * One session = one transport to the core plus the wiring of its events into the stores. A new
 * sign-in replaces the whole session, so nothing fetched as another person survives.
 */
let endCurrentSession: (() => void) | null = null;
let authClient: AuthClient = httpAuthClient;
/** A desktop window renews its media ticket this often (tickets live ten minutes). */
const MEDIA_TICKET_RENEW_MS = 4 * 60_000;

type SessionHooks = { onUnauthorized?: () => void };

function openSession(
  queryClient: QueryClient,
  transport: Transport,
  kind: TransportKind,
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
    subscribeChatEvents(api, queryClient),
    subscribePeopleEvents(api, queryClient),
    subscribeShiftsEvents(api, queryClient),
    transport.onState(onState),
  ];
  // The person's own record changes (a new role, a disabled account): read who we are again.
  unsubscribes.push(api.on('peopleChanged', () => void refreshAuth()));
  beginSession(api, kind);

  endCurrentSession = () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    transport.close();
    endCurrentSession = null;
  };
}

function openWsSession(queryClient: QueryClient) {
  const transport = createWsTransport(wsUrl(window.location));
  setMediaToken(null);
  openSession(queryClient, transport, 'ws', {
    onUnauthorized: () => {
      endCurrentSession?.();
      queryClient.clear();
      signedOut('Your session has ended. Sign in again.');
    },
  });
}

async function refreshAuth(): Promise<void> {
  try {
    const status = await authClient.status();
    const before = useAuthStore.getState().person?.id ?? null;
    applyAuthStatus(status, 'Your session has ended. Sign in again.');
    if (!status.person && before !== null) endCurrentSession?.();
  } catch {
    // The core is away; the connection banner says so and the socket reconnects.
  }
}

function desktopBridge(): AirdeckBridge | undefined {
  return (window as Window & { airdeck?: AirdeckBridge }).airdeck;
}

let renewTimer: ReturnType<typeof setInterval> | undefined;

/** Opens the connection for the person now signed in: IPC on the desktop, else the socket. */
function connectSignedIn(queryClient: QueryClient): void {
  const bridge = desktopBridge();
  if (!bridge) {
    openWsSession(queryClient);
    return;
  }
  setMediaToken(null);
  const transport = createIpcTransport(bridge);
  openSession(queryClient, transport, 'ipc');
  const api = createApiClient(transport);
  const renew = () =>
    void api
      .call('mediaAccess', {})
      .then(setMediaAccess, () => setMediaAccess({ baseUrl: null, token: null }));
  renew();
  clearInterval(renewTimer);
  renewTimer = setInterval(renew, MEDIA_TICKET_RENEW_MS);
}

/** The set-up link's one-time code leaves the address bar at once (no secret stays in a URL). */
function takeSetupCode(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('setup');
  if (code === null) return null;
  url.searchParams.delete('setup');
  window.history.replaceState(null, '', url.toString());
  return code;
}

/** At start-up: who is this window? Then the sign-in, the first-run form or the shell. */
export function startSession(queryClient: QueryClient): void {
  const bridge = desktopBridge();
  authClient = bridge ? ipcAuthClient(bridge) : httpAuthClient;
  useAuthStore.setState({ setupCode: takeSetupCode() });
  void authClient.status().then(
    (status) => {
      applyAuthStatus(status);
      if (status.person) connectSignedIn(queryClient);
    },
    () => signedOut('Airdeck is not answering. Check that it is running, then reload.'),
  );
}

/** Signs in (or creates the first admin) and opens the session; throws AuthError to the form. */
export async function signInAndConnect(
  queryClient: QueryClient,
  attempt: (client: AuthClient) => Promise<AuthStatus>,
): Promise<void> {
  const status = await attempt(authClient);
  applyAuthStatus(status);
  if (status.person) connectSignedIn(queryClient);
}

export async function signOutAndClose(queryClient: QueryClient): Promise<void> {
  await authClient.signOut().catch(() => {});
  clearInterval(renewTimer);
  endCurrentSession?.();
  queryClient.clear();
  signedOut(null);
}
