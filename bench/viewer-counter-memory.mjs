// Memory the viewer counter costs under a flood of junk: 20,000 requests under /channels/ with
// long, all-different User-Agents, no token (what anyone on the network can send). Two servers in
// one run, each in its own process, measured the same way (RSS, and V8 heap after a full GC):
//   - `serve`: the built `airdeck serve` (counts only 2xx playlist/segment answers, hashed keys,
//     a capped table);
//   - baseline: a bare fastify server with the counter as it was before (a Map entry per address
//     + raw User-Agent for every request under /channels/, 404s included), copied below.
// Prints one JSON line. Both children load a probe (--require) that answers `{ rss, heapUsed }`
// after `gc()` over IPC; the bench itself only sends requests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
/** Long, but under the 8 KiB header cap `serve` enforces (it would answer 431 otherwise). */
const UA_CHARS = Number(process.env.BENCH_UA_CHARS ?? 7_000);
const CONCURRENCY = 32;
const MB = 1024 * 1024;

const work = mkdtempSync(join(tmpdir(), 'airdeck-bench-viewers-'));
const probe = join(work, 'memory-probe.cjs');
writeFileSync(
  probe,
  `process.on('message', (m) => {
  if (m !== 'memory') return;
  global.gc();
  const { rss, heapUsed } = process.memoryUsage();
  process.send({ rss, heapUsed });
});
`,
);

// The counter as it was, verbatim but for types, and its onRequest hook.
const baselineServer = join(work, 'baseline-server.cjs');
writeFileSync(
  baselineServer,
  `const Fastify = require(${JSON.stringify(join(process.cwd(), 'node_modules', 'fastify'))});
const PREFIX = '/channels/';
function decodeSlug(raw) { try { return decodeURIComponent(raw); } catch { return null; } }
function createViewerCounter() {
  const bySlug = new Map();
  return {
    seen(url, address, userAgent, now) {
      if (!url.startsWith(PREFIX)) return;
      const end = url.indexOf('/', PREFIX.length);
      if (end <= PREFIX.length) return;
      const slug = decodeSlug(url.slice(PREFIX.length, end));
      if (slug === null) return;
      let clients = bySlug.get(slug);
      if (!clients) {
        if (bySlug.size >= 10_000) return;
        clients = new Map();
        bySlug.set(slug, clients);
      }
      clients.set(address + '\\n' + (userAgent ?? ''), now);
    },
  };
}
const viewers = createViewerCounter();
const app = Fastify({ logger: false });
app.addHook('onRequest', (request, _reply, done) => {
  viewers.seen(request.url, request.ip, request.headers['user-agent'], Date.now());
  done();
});
app.listen({ host: '127.0.0.1', port: 0 }).then(() => {
  process.stdout.write('ready ' + app.server.address().port + '\\n');
});
`,
);

function startChild(args, readyPattern) {
  const child = spawn(process.execPath, ['--expose-gc', '--require', probe, ...args], {
    stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = readyPattern.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code})`)));
  });
  return { child, ready };
}

function memory(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('memory');
  });
}

async function flood(hostPort) {
  let next = 0;
  const statuses = {};
  const padding = 'x'.repeat(UA_CHARS);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const path = i % 2 ? `/channels/junk-${i}/main.m3u8` : `/channels/junk/seg/${i}.ts`;
        const response = await fetch(`http://${hostPort}${path}`, {
          headers: { 'user-agent': `Mozilla/5.0 ${i} ${padding}` },
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  return { statuses, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
}

async function measure(name, child, hostPort) {
  // Settle start-up work first, so growth is the flood's.
  await new Promise((r) => setTimeout(r, 3000));
  const before = await memory(child);
  const run = await flood(hostPort);
  const after = await memory(child);
  return {
    name,
    ...run,
    rssMB: [before.rss / MB, after.rss / MB].map((x) => Number(x.toFixed(1))),
    heapMB: [before.heapUsed / MB, after.heapUsed / MB].map((x) => Number(x.toFixed(1))),
    rssGrowthMB: Number(((after.rss - before.rss) / MB).toFixed(1)),
    heapGrowthMB: Number(((after.heapUsed - before.heapUsed) / MB).toFixed(1)),
  };
}

const results = [];
try {
  const dataDir = join(work, 'data');
  const serve = startChild(
    ['dist/main/cli.cjs', 'serve', '--port', '0', '--data', dataDir],
    /^Airdeck ready at http:\/\/([^/]+)\//,
  );
  try {
    results.push(await measure('serve', serve.child, await serve.ready));
  } finally {
    serve.child.kill('SIGTERM');
    await new Promise((r) => serve.child.once('exit', r));
  }
  const baseline = startChild([baselineServer], /^ready (\d+)$/);
  try {
    results.push(
      await measure('baseline (old counter)', baseline.child, `127.0.0.1:${await baseline.ready}`),
    );
  } finally {
    baseline.child.kill('SIGTERM');
    await new Promise((r) => baseline.child.once('exit', r));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

process.stdout.write(
  `${JSON.stringify({
    bench: 'viewer-counter-memory',
    requests: REQUESTS,
    userAgentChars: UA_CHARS,
    results,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
    load: loadavg().map((x) => Number(x.toFixed(1))),
  })}\n`,
);
