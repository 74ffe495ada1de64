import {
  eventNames,
  methods,
  type AirdeckBridge,
  type CallResult,
  type EventName,
} from '../../../src-shared/contract';
import type { ConnectionState, Transport } from './transport';

/** The desktop transport: the preload's generated functions. IPC never disconnects. */
export function createIpcTransport(bridge: AirdeckBridge): Transport {
  const state: ConnectionState = { kind: 'open', since: Date.now() };
  return {
    call(method, params) {
      if (!Object.prototype.hasOwnProperty.call(methods, method)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_method', message: `No such method: ${method}` },
        });
      }
      const fn = bridge.calls[method as keyof typeof methods] as (
        p: unknown,
      ) => Promise<CallResult<unknown>>;
      return fn(params);
    },
    subscribe(listener) {
      const offs = eventNames.map((event: EventName) =>
        (bridge.events[event] as (cb: (data: unknown) => void) => () => void)((data) =>
          listener(event, data),
        ),
      );
      return () => offs.forEach((off) => off());
    },
    onState: () => () => {},
    state: () => state,
    close: () => {},
  };
}
