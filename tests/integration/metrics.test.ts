// /metrics on a real served core: who may scrape it, and what Prometheus's own checker says of
// the text (`promtool check metrics`, from Debian's prometheus package, reads it on stdin).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(text);
  });
}

describe('/metrics', () => {
  const dir = makeTempDir('airdeck-metrics-');
  let served: ServedCore;
  let url: string;

  beforeAll(async () => {
    served = await startServedCore(dir.path, { core: { monitorChannels: false } });
    url = served.server.url;
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  const scrape = (headers: Record<string, string> = {}) =>
    fetch(new URL('/metrics', url), { headers });

  it('answers only a person with metrics.read or a live key with the metrics:read scope', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer ak_live_' + '0'.repeat(48) })).status).toBe(401);
    await served.call('personCreate', {
      username: 'vera',
      displayName: 'Vera Viewer',
      password: 'correct horse battery staple',
      role: 'viewer',
      scope: {},
    });
    const viewer = await served.signIn('vera', 'correct horse battery staple');
    expect((await scrape({ cookie: viewer })).status).toBe(403);
    expect((await scrape({ cookie: await served.signIn() })).status).toBe(200);

    const other = await served.call('apiKeyCreate', { name: 'epg', scopes: ['schedule:read'] });
    expect((await scrape({ authorization: `Bearer ${other.secret}` })).status).toBe(403);
    const test = await served.call('apiKeyCreate', {
      name: 'sandbox',
      mode: 'test',
      scopes: ['metrics:read'],
    });
    expect((await scrape({ authorization: `Bearer ${test.secret}` })).status).toBe(403);
    const prometheus = await served.call('apiKeyCreate', {
      name: 'prometheus',
      scopes: ['metrics:read'],
    });
    const ok = await scrape({ authorization: `Bearer ${prometheus.secret}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
  });

  it('is accepted by promtool, every metric with help text, and counts API requests by key', async () => {
    const key = await served.call('apiKeyCreate', {
      name: 'scraper',
      scopes: ['metrics:read', 'schedule:read'],
    });
    const auth = { authorization: `Bearer ${key.secret}` };
    // Some traffic for the histograms and the API counter.
    expect((await fetch(new URL('/api/v1/channels', url), { headers: auth })).status).toBe(200);
    expect((await fetch(new URL('/channels/none/main.m3u8', url))).status).toBe(404);
    const text = await (await scrape(auth)).text();

    const checked = await promtoolCheck(text);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);

    const typed = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    const helped = new Map(
      [...text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect(typed.length).toBeGreaterThan(20);
    for (const name of typed) expect(helped.get(name), name).toMatch(/\S/);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'airdeck_channels_on_air',
      'airdeck_viewers',
      'airdeck_playlist_request_duration_seconds',
      'airdeck_segment_request_duration_seconds',
      'airdeck_ingest_jobs',
      'airdeck_recorder_open_gaps',
      'airdeck_recorder_gaps_last_day',
      'airdeck_alarms_active',
      'airdeck_api_requests_total',
    ])
      expect(typed, name).toContain(name);
    expect(text).toContain('airdeck_playlist_request_duration_seconds_count 1');
    expect(text).toContain(
      `airdeck_api_requests_total{key="${key.key.prefix}",mode="live",code="2xx"} 1`,
    );
  });
});
