import type { EventName, MethodName } from './index';

/** IPC channel names live in one place so the preload and the main-side adapter agree. */
export const callChannel = (method: MethodName): string => `airdeck:call:${method}`;
export const EVENT_CHANNEL = 'airdeck:event';
export type IpcEventMessage = { event: EventName; data: unknown };
