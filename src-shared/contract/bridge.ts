import type { CallResult } from './errors';
import type { EventName, EventPayload, MethodName, Request, Response } from './index';

/**
 * The exact shape the Electron preload puts on `window.airdeck`: one function per contract
 * method and one subscriber per event, nothing generic.
 */
export type AirdeckBridge = {
  calls: { [M in MethodName]: (params: Request<M>) => Promise<CallResult<Response<M>>> };
  events: { [E in EventName]: (listener: (data: EventPayload<E>) => void) => () => void };
  /**
   * Where a file dropped from the OS lives on disk (Electron removed `File.path`); the page
   * hands the path to `libraryImportPaths`. Returns '' for files that are not on disk.
   */
  getPathForFile: (file: File) => string;
};
