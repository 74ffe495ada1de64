// `serve --demo`: seeds the demo station in the background of a running server and puts each
// channel on air through the contract's `playoutStart`, like an operator pressing Start.
import type { Core } from '../create-core';
import type { Logger } from '../logger';
import { seedDemo, type DemoScale } from './seed-demo';

/**
 * Hidden knobs for tests and benchmarks (not in the usage text): AIRDECK_DEMO_SCALE=short makes
 * 6–10 s clips starting within seconds; AIRDECK_DEMO_HOURS sets the schedule's length.
 */
function demoEnv(): { scale: DemoScale; hours: number } {
  const scale = process.env.AIRDECK_DEMO_SCALE === 'short' ? 'short' : 'normal';
  const hours = Number(process.env.AIRDECK_DEMO_HOURS ?? 24);
  return { scale, hours: Number.isInteger(hours) && hours >= 1 && hours <= 24 * 14 ? hours : 24 };
}

export function startDemo(core: Core, channels: number, logger: Logger): void {
  const { scale, hours } = demoEnv();
  let playoutMissing = false;
  void seedDemo(core, {
    channels,
    hours,
    scale,
    log: (line) => logger.info(line),
    putOnAir: async (channelId) => {
      if (playoutMissing) return;
      const answer = await core.dispatch('playoutStart', { channelId });
      if (answer.ok) return;
      if (answer.error.code === 'unknown_method') {
        // A core built without the playout engine still gets a scheduled station.
        playoutMissing = true;
        logger.warn('demo: playout is not available here; channels are scheduled, not on air');
        return;
      }
      throw new Error(`playoutStart: ${answer.error.message}`);
    },
  }).then(
    (result) => {
      if (!result.seeded) logger.info(`demo: not seeded (${result.reason}); demo ready`);
    },
    (error: unknown) => logger.error('demo: seeding failed', error),
  );
}
