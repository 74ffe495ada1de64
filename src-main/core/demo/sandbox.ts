// The sandbox station test API keys reach: a second core on its own database in the data
// folder (`<data>/sandbox`), seeded as a demo station, started on first use so a station whose
// partners never test pays nothing for it. It never reads the real station's database.
import { createCore, type Core } from '../create-core';
import type { Logger } from '../logger';

export type Sandbox = {
  /** The running sandbox core (started and seeded on the first call), or null if it failed. */
  get(): Promise<Core | null>;
  close(): Promise<void>;
};

export function createSandbox(options: {
  dataDir: string;
  version: string;
  logger: Logger;
  /** Fills a new sandbox (serve: the demo station); called when it has no channels yet. */
  seed: (core: Core) => void | Promise<void>;
}): Sandbox {
  let starting: Promise<Core | null> | null = null;
  let closed = false;
  const start = async (): Promise<Core | null> => {
    try {
      const core = await createCore({
        dataDir: options.dataDir,
        mode: 'headless',
        version: options.version,
        logger: options.logger,
        // Nobody watches the sandbox's pictures: no alarm detectors on its channels.
        monitorChannels: false,
      });
      const channels = await core.dispatch('channelsList', {});
      if (channels.ok && (channels.result as unknown[]).length === 0) await options.seed(core);
      return core;
    } catch (error) {
      options.logger.error('sandbox: could not start', error);
      starting = null;
      return null;
    }
  };
  return {
    get() {
      if (closed) return Promise.resolve(null);
      starting ??= start();
      return starting;
    },
    async close() {
      closed = true;
      const core = await starting;
      await core?.close();
    },
  };
}
