// The dashboard's CPU figure on a real core: a window asking for the figures between two
// ticks must not take part of the next tick's period away from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFigures } from '../../src-shared/contract';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

describe('dashboard CPU figure', () => {
  const dir = makeTempDir('airdeck-monitor-dashboard-');
  let served: ServedCore;
  const ticks: DashboardFigures[] = [];

  beforeAll(async () => {
    served = await startServedCore(dir.path);
    served.core.bus.on('dashboardTick', (figures) => ticks.push(figures));
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  const nextTick = (): Promise<DashboardFigures> => {
    const seen = ticks.length;
    return waitFor('a dashboard tick', () => ticks.length > seen && ticks.at(-1));
  };

  it('counts work done before a dashboardGet in the next tick', async () => {
    const before = await nextTick();
    // Keep the core's thread busy for a known amount of CPU time (not wall time).
    const start = process.cpuUsage();
    const burnedUs = () => {
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    let spin = 0;
    while (burnedUs() < 300_000) spin += 1;
    expect(spin).toBeGreaterThan(0);
    const burnedMs = burnedUs() / 1000;
    // The handler runs before this call returns, so before the next tick can fire.
    const asked = served.call('dashboardGet', {});
    const after = await nextTick();
    const { figures } = await asked;
    expect(figures.at).toBeLessThan(after.at);
    expect(figures.at).toBeGreaterThanOrEqual(before.at);

    // The tick's period is [before, after]: the burn lies inside it, all of it.
    const tickCpuMs = (after.process.cpuPercent / 100) * (after.at - before.at);
    // 0.1 % rounding of the figure over the period, and the two clocks read a moment apart.
    const slackMs = 0.001 * (after.at - before.at) + 5;
    expect(tickCpuMs).toBeGreaterThanOrEqual(burnedMs - slackMs);
    // A window asking between ticks is shown the last tick's figure.
    expect(figures.process.cpuPercent).toBe(before.process.cpuPercent);
  });
});
