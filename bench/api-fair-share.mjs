// One integrator key driven at twice its plan's rate, another key at a modest steady rate,
// against the built `serve` (`node scripts/build.mjs` first):
// - the noisy key is held to its plan: 200s per minute window against the plan (aim ± 5 %);
// - the quiet key's latency with the noisy key running against without it, in the same run,
//   phases interleaved (quiet alone, both, quiet alone, both) so a change in the machine's
//   load lands on both sides.
// The serve process's CPU time per phase (from /proc/<pid>/schedstat) says what the server
// spent, apart from how long the machine made it wait.
// Requests go out open loop (at a fixed rate whatever the answers), so queueing shows.
// A loaded phase lasts one rate-limit window (60 s, from the noisy key's first request).
// One JSON line.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { contractSocket, driveAtRate, startServe, summarize, percentile } from './lib.mjs';

const NOISY_RPM = Number(process.env.FAIR_NOISY_RPM ?? 1200);
const QUIET_RPS = Number(process.env.FAIR_QUIET_RPS ?? 10);
const BASE_S = Number(process.env.FAIR_BASE_S ?? 30);
// The rate limiter's window (api-v1.ts); shorter only to try the bench out quickly.
const WINDOW_S = Number(process.env.FAIR_WINDOW_S ?? 60);

const serve = await startServe();
const client = await contractSocket(serve);
await client.call('channelCreate', { name: 'Bench One', number: 1, slug: 'bench-one' });
const issue = (name, requestsPerMinute) =>
  client.call('apiKeyCreate', {
    name,
    mode: 'live',
    scopes: ['schedule:read'],
    plan: { requestsPerMinute, eventStreams: 1, webhookEndpoints: 0 },
  });
const noisy = await issue('Noisy', NOISY_RPM);
const quiet = await issue('Quiet', 100_000);
client.close();

const url = new URL('/api/v1/channels', serve.origin).href;
/** Nanoseconds the serve process has run on a CPU. */
const cpuNs = () => Number(readFileSync(`/proc/${serve.pid}/schedstat`, 'utf8').split(' ')[0]);
const cpu = { alone: { ms: 0, s: 0 }, withNoisy: { ms: 0, s: 0 } };
async function measured(kind, seconds, work) {
  const before = cpuNs();
  const result = await work();
  cpu[kind].ms += (cpuNs() - before) / 1e6;
  cpu[kind].s += seconds;
  return result;
}
const quietAgent = new Agent({ keepAlive: true, maxSockets: Infinity });
const noisyAgent = new Agent({ keepAlive: true, maxSockets: Infinity });
const quietRun = (seconds) =>
  driveAtRate({
    url,
    headers: { authorization: `Bearer ${quiet.secret}` },
    perSecond: QUIET_RPS,
    seconds,
    agent: quietAgent,
  });
const noisyRun = () =>
  driveAtRate({
    url,
    headers: { authorization: `Bearer ${noisy.secret}` },
    perSecond: (2 * NOISY_RPM) / 60,
    seconds: WINDOW_S,
    agent: noisyAgent,
  });

// Warm up (JIT, prepared statements, keep-alive sockets), not counted.
await quietRun(3);

const load = [loadavg()[0]];
const alone = [];
const withNoisy = [];
const windows = [];
for (let round = 0; round < 2; round++) {
  alone.push(...(await measured('alone', BASE_S, () => quietRun(BASE_S))));
  load.push(loadavg()[0]);
  const [q, n] = await measured('withNoisy', WINDOW_S, () =>
    Promise.all([quietRun(WINDOW_S), noisyRun()]),
  );
  load.push(loadavg()[0]);
  withNoisy.push(...q);
  windows.push({
    sent: n.length,
    served: n.filter((r) => r.status === 200).length,
    refused429: n.filter((r) => r.status === 429).length,
    other: n.filter((r) => r.status !== 200 && r.status !== 429).length,
  });
}
quietAgent.destroy();
noisyAgent.destroy();
await serve.stop();

const latency = (results) => {
  const ms = results.map((r) => r.ms);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    ...summarize(ms),
    p99: Math.round(percentile(sorted, 99) * 1000) / 1000,
    non200: results.filter((r) => r.status !== 200).length,
  };
};
const quietAlone = latency(alone);
const quietWithNoisy = latency(withNoisy);
console.log(
  JSON.stringify({
    bench: 'api-fair-share',
    noisyPlanPerMinute: NOISY_RPM,
    noisyDrivenPerMinute: 2 * NOISY_RPM,
    noisyWindows: windows.map((w) => ({
      ...w,
      servedOfPlan: Math.round((w.served / NOISY_RPM) * 1000) / 1000,
    })),
    quietPerSecond: QUIET_RPS,
    quietAloneMs: quietAlone,
    quietWithNoisyMs: quietWithNoisy,
    quietP99Ratio: Math.round((quietWithNoisy.p99 / quietAlone.p99) * 100) / 100,
    // Share of one core the server used, and its CPU per request answered (both keys).
    serveCpu: {
      aloneCoreShare: Math.round((cpu.alone.ms / (cpu.alone.s * 1000)) * 1000) / 1000,
      withNoisyCoreShare: Math.round((cpu.withNoisy.ms / (cpu.withNoisy.s * 1000)) * 1000) / 1000,
      aloneMsPerRequest: Math.round((cpu.alone.ms / alone.length) * 1000) / 1000,
      withNoisyMsPerRequest:
        Math.round(
          (cpu.withNoisy.ms / (withNoisy.length + windows.reduce((a, w) => a + w.sent, 0))) * 1000,
        ) / 1000,
    },
    loadAverage1m: load.map((x) => Math.round(x * 10) / 10),
  }),
);
