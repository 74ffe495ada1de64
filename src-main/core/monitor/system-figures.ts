// The station's machine as the dashboard shows it: CPU and memory of the core, disk free of
// the data folder, ffmpeg children by kind.
import { statfsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { DashboardFigures } from '../../../src-shared/contract';
import type { FfmpegRegistry } from '../ffmpeg';

export function diskFigures(path: string): DashboardFigures['disk'] {
  try {
    const stats = statfsSync(path);
    return { path, freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    return { path, freeBytes: 0, totalBytes: 0 };
  }
}

/** "cut /data/…/x.ts" and "push news" count as cut and push. */
export function ffmpegFigures(registry: FfmpegRegistry): DashboardFigures['ffmpeg'] {
  const counts = new Map<string, number>();
  for (const child of registry.list()) {
    const kind = child.label.split(/[\s:]/, 1)[0] || 'ffmpeg';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const byLabel = [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { children: registry.size, byLabel };
}

export type CpuMeter = {
  /** CPU % of one core since the previous sample (the first: since start-up); starts the next. */
  sample(): number;
  /** CPU % since the previous sample, leaving its baseline alone: any number may read it. */
  peek(): number;
};

/**
 * One meter per periodic reader: the dashboard tick samples, anyone else peeks, so a window
 * asking for the figures between two ticks does not shorten the tick's period.
 */
export function createCpuMeter(): CpuMeter {
  let last = process.cpuUsage();
  let lastAt = performance.now();
  const since = (now: number) => {
    const usage = process.cpuUsage(last);
    const elapsedUs = (now - lastAt) * 1000;
    if (elapsedUs <= 0) return 0;
    return Math.round(((usage.user + usage.system) / elapsedUs) * 1000) / 10;
  };
  return {
    sample() {
      const now = performance.now();
      const percent = since(now);
      last = process.cpuUsage();
      lastAt = now;
      return percent;
    },
    peek: () => since(performance.now()),
  };
}

export function processFigures(cpuPercent: number): DashboardFigures['process'] {
  const memory = process.memoryUsage();
  return {
    cpuPercent,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    load: loadavg(),
    cores: availableParallelism(),
  };
}
