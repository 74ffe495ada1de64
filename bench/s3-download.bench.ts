// Download throughput of the cache (single flight, .partial, size and ETag checks, the optional
// MD5 on the hashing thread, fsync, rename, SQLite row) against a plain @aws-sdk/client-s3 GET piped to a file, same object,
// same server, same run, alternating. Server: s3rver on loopback (a child process). Goal: cache
// ≥ 0.8× plain. CPU is the whole process's (all threads, so the hashing thread counts) and the
// server's; `eventLoopS` is the time the event loop (the thread that also answers playlist
// requests) was busy per download; `ratios` are per pair (plain run i, cache run i).
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createCore } from '../src-main/core/create-core';
import { silentLogger } from '../src-main/core/logger';
import { startTestS3 } from '../tests/helpers/s3-server';
import { makeTempDir } from '../tests/helpers/temp-dir';

const SIZE = Number(process.env.S3_BENCH_MB ?? 128) * 1024 * 1024;
const RUNS = Number(process.env.S3_BENCH_RUNS ?? 5);
const KEY = 'bench/object.bin';
// S3_BENCH_MD5=1: with the cache's optional content MD5 check on (off by default).
const CHECK_MD5 = process.env.S3_BENCH_MD5 === '1';

/** CPU seconds used so far by this process's children (s3rver), from /proc. */
function childrenCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100; // USER_HZ
}

// Wrapped: bench/run.mjs bundles to CommonJS, which has no top-level await.
async function main(): Promise<void> {
  const s3 = await startTestS3();
  const temp = makeTempDir('airdeck-bench-s3-');
  const core = await createCore({
    dataDir: temp.path,
    mode: 'headless',
    version: 'bench',
    logger: silentLogger,
  });
  try {
    core.cache.setSettings({ checkContentMd5: CHECK_MD5 });
    await s3.put(KEY, randomBytes(SIZE));
    const added = await core.dispatch('storageLocationsAdd', {
      name: 'Bench',
      endpoint: s3.directEndpoint,
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    if (!added.ok) throw new Error(added.error.message);
    const locationId = (added.result as { id: number }).id;
    const plainClient = new S3Client({
      endpoint: s3.directEndpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });

    type Sample = {
      seconds: number;
      cpuSeconds: number;
      serverCpuSeconds: number;
      eventLoopSeconds: number;
    };
    const measure = async (work: () => Promise<void>): Promise<Sample> => {
      const cpu0 = process.cpuUsage();
      const server0 = childrenCpuSeconds();
      const loop0: EventLoopUtilization = performance.eventLoopUtilization();
      const t0 = performance.now();
      await work();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      return {
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        serverCpuSeconds: childrenCpuSeconds() - server0,
        eventLoopSeconds: performance.eventLoopUtilization(loop0).active / 1000,
      };
    };
    const plainFile = join(temp.path, 'plain.bin');
    // Removing the previous run's file is not part of either download: both happen outside the
    // timed part (a synchronous unlink of 128 MiB of written-back blocks takes tens of ms).
    const plain = async () => {
      rmSync(plainFile, { force: true });
      return measure(async () => {
        const out = await plainClient.send(new GetObjectCommand({ Bucket: s3.bucket, Key: KEY }));
        await pipeline(out.Body as Readable, createWriteStream(plainFile));
      });
    };
    const cached = async () => {
      let path = '';
      const sample = await measure(async () => {
        ({ path } = await core.cache.fetch(locationId, KEY));
      });
      // Forget it again so the next run downloads.
      core.context.db.prepare('DELETE FROM cache_entries').run();
      rmSync(path);
      return sample;
    };

    const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
    await plain(); // warm-up: server page cache, connections
    const samples: { plain: Sample[]; cache: Sample[] } = { plain: [], cache: [] };
    for (let i = 0; i < RUNS; i += 1) {
      samples.plain.push(await plain());
      samples.cache.push(await cached());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const mbps = (s: Sample[]) =>
      Math.round((SIZE / 1024 ** 2 / median(s.map((x) => x.seconds))) * 10) / 10;
    const cpu = (s: Sample[]) => Math.round(median(s.map((x) => x.cpuSeconds)) * 1000) / 1000;
    const serverCpu = (s: Sample[]) =>
      Math.round(median(s.map((x) => x.serverCpuSeconds)) * 100) / 100;
    const eventLoop = (s: Sample[]) =>
      Math.round(median(s.map((x) => x.eventLoopSeconds)) * 1000) / 1000;
    const ratio = Math.round((mbps(samples.cache) / mbps(samples.plain)) * 1000) / 1000;
    const ratios = samples.cache.map(
      (c, i) => Math.round((samples.plain[i]!.seconds / c.seconds) * 1000) / 1000,
    );
    plainClient.destroy();
    process.stdout.write(
      `${JSON.stringify({
        bench: 's3-download',
        checkContentMd5: CHECK_MD5,
        objectMiB: SIZE / 1024 ** 2,
        runs: RUNS,
        plainMiBps: mbps(samples.plain),
        cacheMiBps: mbps(samples.cache),
        ratio,
        ratios,
        goal: 0.8,
        pass: ratio >= 0.8,
        plainCpuS: cpu(samples.plain),
        cacheCpuS: cpu(samples.cache),
        serverCpuS: { plain: serverCpu(samples.plain), cache: serverCpu(samples.cache) },
        eventLoopS: { plain: eventLoop(samples.plain), cache: eventLoop(samples.cache) },
        loadavgBefore: loadBefore,
        loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
      })}\n`,
    );
  } finally {
    await core.close();
    await s3.stop();
    temp.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
