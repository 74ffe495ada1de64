import { create } from 'zustand';
import type { ApiClient } from '../../app/api/api-client';
import type { ConnectionState } from '../../app/api/transport';

/** How this window reaches the core: Electron's preload or the `serve` WebSocket. */
export type TransportKind = 'ipc' | 'ws';

type ConnectionStore = {
  transportKind: TransportKind;
  state: ConnectionState;
  /** True once this session has reached the core: from then on a drop shows the banner, not a splash. */
  hasConnected: boolean;
  /** The client of the current session; null while nobody is signed in. */
  api: ApiClient | null;
};

export const useConnectionStore = create<ConnectionStore>()(() => ({
  transportKind: 'ws',
  state: { kind: 'connecting' },
  hasConnected: false,
  api: null,
}));

export function beginSession(api: ApiClient, transportKind: TransportKind) {
  const state = api.transport.state();
  // IPC is open from the start; a WebSocket reports `open` later through setConnectionState.
  useConnectionStore.setState({
    api,
    transportKind,
    state,
    hasConnected: state.kind === 'open',
  });
}

export function setConnectionState(state: ConnectionState) {
  useConnectionStore.setState((current) => ({
    state,
    hasConnected: current.hasConnected || state.kind === 'open',
  }));
}
