// What the subscriber key and plan check costs on a segment request:
// - over HTTP against the built `serve` (`node scripts/build.mjs` first): the same HLS segment
//   of a channel on air fetched without a key and with a subscriber's key and session,
//   alternately, one request in flight, SUB_CHECK_REQUESTS of each;
// - in process: the gate's check itself (SHA-256 of the key, the plan, the session under the
//   cap), SUB_CHECK_CALLS times, against an empty loop in the same run.
// One JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src-main/core/db/open-database';
import { EventBus } from '../src-main/core/events/event-bus';
import { createSubscribersService } from '../src-main/core/subscribers/subscribers-service';
import { contractSocket, percentile, startServe } from './lib.mjs';

const REQUESTS = Number(process.env.SUB_CHECK_REQUESTS ?? 3000);
const CALLS = Number(process.env.SUB_CHECK_CALLS ?? 200_000);

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(url: string): Promise<{ status: number; ms: number; bytes: number; body: string }> {
  const sent = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - sent,
          bytes: body.length,
          body: res.headers['content-type']?.includes('mpegurl') ? body.toString() : '',
        });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function overHttp() {
  const serve = await startServe();
  try {
    const client = await contractSocket(serve);
    const channel = await client.call<{ id: number }>('channelCreate', {
      name: 'Bench',
      number: 1,
      slug: 'bench',
    });
    await client.call('playoutStart', { channelId: channel.id });
    const plan = await client.call<{ id: number }>('subscriberPlanSave', {
      name: 'Bench plan',
      channels: [channel.id],
      maxStreams: 4,
    });
    const { secret } = await client.call<{ secret: string }>('subscriberCreate', {
      name: 'Bench viewer',
      planId: plan.id,
    });
    client.close();
    const base = serve.origin.replace(/\/$/, '');
    // On air with the slate made: the oldest listed segment answers 200.
    let segment = '';
    for (let i = 0; i < 600 && !segment; i++) {
      const playlist = await get(`${base}/channels/bench/main.m3u8`);
      const first = playlist.body.split('\n').find((l) => l && !l.startsWith('#'));
      if (
        playlist.status === 200 &&
        first &&
        (await get(`${base}/channels/bench/${first}`)).status === 200
      )
        segment = first;
      else await new Promise((r) => setTimeout(r, 250));
    }
    if (!segment) throw new Error('no segment on air');
    const master = await get(`${base}/channels/bench/index.m3u8?key=${secret}`);
    const session = /&s=([0-9a-f]{16})/.exec(master.body)?.[1];
    if (!session) throw new Error(`no session in ${master.body}`);
    const plain = `${base}/channels/bench/${segment}`;
    const keyed = `${plain}?key=${secret}&s=${session}`;
    for (let i = 0; i < 100; i++) {
      await get(plain);
      await get(keyed);
    }
    const without: number[] = [];
    const withKey: number[] = [];
    let bytes = 0;
    let failed = 0;
    for (let i = 0; i < REQUESTS; i++) {
      // Alternate which goes first, so neither always follows the other.
      const order = i % 2 === 0 ? [plain, keyed] : [keyed, plain];
      for (const url of order) {
        const answer = await get(url);
        if (answer.status !== 200) failed += 1;
        bytes = answer.bytes;
        (url === plain ? without : withKey).push(answer.ms);
      }
    }
    const a = stats(without);
    const b = stats(withKey);
    return {
      segmentBytes: bytes,
      failed,
      withoutKeyMs: a,
      withSubscriberKeyMs: b,
      medianDifferenceMs: round(b.p50 - a.p50),
      meanDifferenceMs: round(b.mean - a.mean),
    };
  } finally {
    agent.destroy();
    await serve.stop();
  }
}

function inProcess() {
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-subs-'));
  try {
    const { db } = openDatabase(join(dir, 'airdeck.db'));
    db.prepare(
      "INSERT INTO channels (name, slug, number, created_at, updated_at) VALUES ('A', 'a', 1, 0, 0)",
    ).run();
    const service = createSubscribersService({ db, bus: new EventBus(), now: () => Date.now() });
    const plan = service.savePlan({ name: 'P', channels: [1], maxStreams: 4, expiresAt: null });
    const { secret } = service.create({ name: 'S', planId: plan.id, expiresAt: null }, null);
    const timeLoop = (work: () => void) => {
      for (let i = 0; i < 10_000; i++) work();
      const start = performance.now();
      for (let i = 0; i < CALLS; i++) work();
      return ((performance.now() - start) * 1e6) / CALLS;
    };
    let sink = 0;
    const empty = timeLoop(() => {
      sink += 1;
    });
    const check = timeLoop(() => {
      const r = service.touchHls(secret, 1, 'A', 'session|127.0.0.1');
      if ('subscriberId' in r) sink += r.subscriberId;
    });
    service.close();
    db.close();
    return { calls: CALLS, emptyLoopNs: round(empty, 1), touchHlsNs: round(check, 1), sink };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const loadBefore = loadavg()[0]!;
  const http = await overHttp();
  const gate = inProcess();
  console.log(
    JSON.stringify({
      bench: 'subscriber-check',
      requestsEach: REQUESTS,
      ...http,
      gateInProcess: {
        calls: gate.calls,
        emptyLoopNs: gate.emptyLoopNs,
        touchHlsNs: gate.touchHlsNs,
      },
      loadAverage1m: [round(loadBefore, 1), round(loadavg()[0]!, 1)],
    }),
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
