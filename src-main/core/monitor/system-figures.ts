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

/** CPU % of one core since the previous call (the first call measures since start-up). */
export function createCpuMeter(): () => number {
  let last = process.cpuUsage();
  let lastAt = performance.now();
  return () => {
    const usage = process.cpuUsage(last);
    const now = performance.now();
    const elapsedUs = (now - lastAt) * 1000;
    last = process.cpuUsage();
    lastAt = now;
    if (elapsedUs <= 0) return 0;
    return Math.round(((usage.user + usage.system) / elapsedUs) * 1000) / 10;
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
