import os from 'node:os';
import type { Database } from 'better-sqlite3';
import type { Health } from '../../../src-shared/contract';
import type { FfmpegStatus } from '../ffmpeg-status';

export type HealthDeps = {
  version: string;
  startedAt: number;
  now: () => number;
  db: Database;
  dbFile: string;
  schemaVersion: number;
  ffmpeg: FfmpegStatus;
  connections: () => number;
};

export function createHealthService(deps: HealthDeps) {
  const ping = deps.db.prepare('SELECT 1 AS one');
  function dbOk(): boolean {
    try {
      return ping.get() !== undefined;
    } catch {
      return false;
    }
  }
  return {
    snapshot(): Health {
      const db = { ok: dbOk(), schemaVersion: deps.schemaVersion, path: deps.dbFile };
      const memory = process.memoryUsage();
      return {
        ok: db.ok && deps.ffmpeg.path !== null,
        version: deps.version,
        uptimeMs: Math.max(0, deps.now() - deps.startedAt),
        db,
        ffmpeg: deps.ffmpeg,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
        load: os.loadavg(),
        connections: deps.connections(),
      };
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
