import { z } from 'zod';
import { AppInfoSchema, MediaAccessSchema } from './app-info';
import { HealthSchema } from './health';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { libraryEvents, libraryMethods } from './library';
import { scheduleEvents, scheduleMethods } from './schedule';
import { playoutEvents, playoutMethods } from './playout';
import { pushOutputEvents, pushOutputMethods } from './outputs';
import { storageEvents, storageMethods } from './storage';
import { monitorEvents, monitorMethods } from './monitor';
import { wallEvents, wallMethods } from './wall';
import { peopleEvents, peopleMethods } from './people';
import { recorderEvents, recorderMethods } from './recorder';
import { chatEvents, chatMethods } from './chat';
import { shiftsEvents, shiftsMethods } from './shifts';
import { notesEvents, notesMethods } from './notes';
import { apiKeyEvents, apiKeyMethods } from './api-keys';
import { subscriberEvents, subscriberMethods } from './subscribers';
import { audienceEvents, audienceMethods } from './audience';
import { clipEvents, clipMethods } from './clips';

export * from './errors';
export * from './app-info';
export * from './health';
export * from './settings';
export * from './library';
export * from './schedule';
export * from './playout';
export * from './outputs';
export * from './storage';
export * from './monitor';
export * from './wall';
export * from './people';
export * from './recorder';
export * from './chat';
export * from './shifts';
export * from './notes';
export * from './api-keys';
export * from './subscribers';
export * from './audience';
export * from './clips';

const Empty = z.object({}).strict();

/**
 * Every call the UI can make, defined once. Electron's preload, the WebSocket server and the
 * renderer's client are all generated from these keys, so a method cannot exist in one
 * transport and not the other.
 */
export const methods = {
  appInfo: { request: Empty, response: AppInfoSchema },
  mediaAccess: { request: Empty, response: MediaAccessSchema },
  healthGet: { request: Empty, response: HealthSchema },
  settingsGet: { request: Empty, response: SettingsSchema },
  settingsSet: { request: SettingsPatchSchema, response: SettingsSchema },
  ...peopleMethods,
  ...libraryMethods,
  ...scheduleMethods,
  ...playoutMethods,
  ...pushOutputMethods,
  ...storageMethods,
  ...monitorMethods,
  ...wallMethods,
  ...recorderMethods,
  ...chatMethods,
  ...shiftsMethods,
  ...notesMethods,
  ...apiKeyMethods,
  ...subscriberMethods,
  ...audienceMethods,
  ...clipMethods,
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Everything the core pushes to every connected window. */
export const events = {
  clockTick: z.object({ now: z.number().int() }),
  healthTick: HealthSchema,
  settingsChanged: SettingsSchema,
  ...peopleEvents,
  ...libraryEvents,
  ...scheduleEvents,
  ...playoutEvents,
  ...pushOutputEvents,
  ...storageEvents,
  ...monitorEvents,
  ...wallEvents,
  ...recorderEvents,
  ...chatEvents,
  ...shiftsEvents,
  ...notesEvents,
  ...apiKeyEvents,
  ...subscriberEvents,
  ...audienceEvents,
  ...clipEvents,
} as const satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
export type Request<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type Response<M extends MethodName> = z.output<Methods[M]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export * from './wire';
export * from './ipc-channels';
export type * from './bridge';
