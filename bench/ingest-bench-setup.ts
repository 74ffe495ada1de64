// What the ingest benches share: the ingest service on a temp data folder, built as the core
// builds it, and a CPU clock that counts the bench process and the ffmpeg/ffprobe children it
// has waited for (the machine may be shared, so CPU time compares better than wall time).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../src-main/core/ffmpeg/index';
import { createIngestService } from '../src-main/core/ingest/ingest-service';
import { openIngestContext } from '../tests/helpers/ingest-context';

export function openIngestBench() {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-ingest-'));
  const binaries = resolveFfmpeg();
  const context = openIngestContext(join(dir, 'data'), binaries);
  const { db, ffmpeg } = context;
  const ingest = createIngestService(context);
  return {
    dir,
    binaries,
    context,
    ingest,
    insertAsset(path: string): number {
      const row = db
        .prepare(
          `INSERT INTO assets (folder_id, name, source_kind, source_location, state, created_at, updated_at)
           VALUES (1, 'bench', 'file', ?, 'probing', 0, 0)`,
        )
        .run(path);
      return Number(row.lastInsertRowid);
    },
    async close() {
      await ingest.close();
      await ffmpeg.registry.killAll();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User + system ms of the children this process has waited for; null off Linux. */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return ((cutime + cstime) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * Starts counting CPU time; `elapsedMs()` is user + system of this process and of the children
 * that ended since (null where the children's times cannot be read).
 */
export function startCpuClock(): { elapsedMs(): number | null } {
  const self = process.cpuUsage();
  const children = childrenCpuMs();
  return {
    elapsedMs() {
      const used = process.cpuUsage(self);
      const now = childrenCpuMs();
      if (children === null || now === null) return null;
      return Math.round((used.user + used.system) / 1000 + now - children);
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
