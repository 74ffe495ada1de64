import type { Database } from 'better-sqlite3';
import type { MethodName } from '../../src-shared/contract';
import type { Clock } from './clock/clock';
import type { EventBus } from './events/event-bus';
import type { FfmpegRegistry, ResolvedBinaries } from './ffmpeg';
import type { FfmpegStatus } from './ffmpeg-status';
import type { Logger } from './logger';
import type { Handlers } from './rpc/dispatcher';
import type { SettingsService } from './settings/settings-service';

/** What every feature of the core is built from. One per running core. */
export type CoreContext = {
  db: Database;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** `<dataDir>/media`: house renditions, posters, filmstrips, one folder per asset. */
  mediaDir: string;
  settings: SettingsService;
  ffmpeg: { status: FfmpegStatus; binaries: ResolvedBinaries | null; registry: FfmpegRegistry };
};

/** A capability of the core: the contract methods it serves and its lifecycle. */
export type Feature<M extends MethodName> = {
  handlers: Pick<Handlers, M>;
  /** Called once every feature exists (resume work, start watchers). */
  start?(): void;
  /** Called on shutdown, in reverse order of creation. */
  close?(): Promise<void>;
};
