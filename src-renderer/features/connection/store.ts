import { create } from 'zustand';
import type { ApiClient } from '../../app/api/api-client';
import type { ConnectionState } from '../../app/api/transport';

/** How this window reaches the core: Electron's preload or the `serve` WebSocket. */
export type TransportKind = 'ipc' | 'ws';

/**
 * - `idle`: no token has been tried from the prompt.
 * - `checking`: a token typed into the prompt is being tried; the prompt stays up meanwhile.
 * - `rejected`: the core closed the socket with 4401 for the token we tried.
 */
export type TokenCheck = 'idle' | 'checking' | 'rejected';

type ConnectionStore = {
  transportKind: TransportKind;
  state: ConnectionState;
  tokenCheck: TokenCheck;
  /** True once this session has reached the core: from then on a drop shows the banner, not a splash. */
  hasConnected: boolean;
  /** The client of the current session; null while no token is known. */
  api: ApiClient | null;
};

export const useConnectionStore = create<ConnectionStore>()(() => ({
  transportKind: 'ws',
  state: { kind: 'connecting' },
  tokenCheck: 'idle',
  hasConnected: false,
  api: null,
}));

export function beginSession(api: ApiClient, transportKind: TransportKind, tokenCheck: TokenCheck) {
  const state = api.transport.state();
  // IPC is open from the start; a WebSocket reports `open` later through setConnectionState.
  useConnectionStore.setState({
    api,
    transportKind,
    tokenCheck,
    state,
    hasConnected: state.kind === 'open',
  });
}

export function requireToken(rejected: boolean) {
  useConnectionStore.setState({
    api: null,
    state: { kind: 'unauthorized' },
    tokenCheck: rejected ? 'rejected' : 'idle',
    hasConnected: false,
  });
}

export function setConnectionState(state: ConnectionState) {
  useConnectionStore.setState((current) => ({
    state,
    hasConnected: current.hasConnected || state.kind === 'open',
    tokenCheck:
      state.kind === 'open'
        ? 'idle'
        : state.kind === 'unauthorized'
          ? 'rejected'
          : current.tokenCheck,
  }));
}
