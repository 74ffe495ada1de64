import type { CallResult, EventName } from '../../../src-shared/contract';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open'; since: number }
  | { kind: 'reconnecting'; attempt: number; retryAt: number; lastError: string }
  | { kind: 'unauthorized' };

/** What the API client needs from a way of reaching the core (Electron IPC or WebSocket). */
export type Transport = {
  call(method: string, params: unknown): Promise<CallResult<unknown>>;
  subscribe(listener: (event: EventName, data: unknown) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  state(): ConnectionState;
  close(): void;
};
