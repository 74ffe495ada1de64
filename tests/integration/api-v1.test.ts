// The integrator API on a real served core: keys and their scopes and channels, batches that
// land whole or not at all, pages, ETags, problem details, the plan's rate, and the event
// stream's resume and its end when the key is revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, issueKey, SseClient } from '../helpers/api-client';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const HOUR = 3_600_000;

describe('/api/v1', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let base: string;
  let one: number;
  let two: number;
  let full: string;
  let onlyOne: string;
  const t0 = Date.now() + 10 * 86_400_000;

  const breakAt = (channelId: number, startsAt: number, durationMs = 60_000) => ({
    op: 'create' as const,
    item: { channelId, kind: 'break' as const, startsAt, durationMs },
  });

  beforeAll(async () => {
    dir = makeTempDir();
    served = await startServedCore(dir.path, {
      sandboxSeed: async (sandbox) => {
        const made = await sandbox.dispatch('channelCreate', {
          name: 'Sandbox News',
          number: 1,
          slug: 'sandbox-news',
        });
        if (!made.ok) throw new Error(made.error.message);
      },
    });
    base = served.server.url;
    one = (await served.call('channelCreate', { name: 'One', number: 1, slug: 'one' })).id;
    two = (await served.call('channelCreate', { name: 'Two', number: 2, slug: 'two' })).id;
    full = (
      await issueKey(served, {
        name: 'Guide publisher',
        scopes: ['schedule:read', 'schedule:write', 'breaks:write', 'events:read'],
        plan: { requestsPerMinute: 1000, eventStreams: 3, webhookEndpoints: 1 },
      })
    ).secret;
    onlyOne = (
      await issueKey(served, {
        name: 'Channel one partner',
        scopes: ['schedule:read', 'schedule:write', 'events:read'],
        channels: [one],
      })
    ).secret;
  });
  afterAll(async () => {
    await served.close();
    dir.remove();
  });

  it('issues keys with a visible prefix and keeps only a hash', () => {
    expect(full).toMatch(/^ak_live_[0-9a-f]{48}$/);
    const rows = served.core.context.db.prepare('SELECT prefix, hash FROM api_keys').all() as {
      prefix: string;
      hash: string;
    }[];
    expect(rows.some((r) => full.startsWith(r.prefix))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(full);
  });

  it('refuses a request without a key, or with a wrong one, as a problem', async () => {
    for (const key of [null, 'ak_live_' + '0'.repeat(48), 'nonsense']) {
      const answer = await apiRequest(base, key, 'GET', '/api/v1/channels');
      expect(answer.status).toBe(401);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('lists only the channels a key reaches', async () => {
    const all = await apiRequest(base, full, 'GET', '/api/v1/channels');
    expect((all.body as { items: { id: number }[] }).items.map((c) => c.id)).toEqual([one, two]);
    const limited = await apiRequest(base, onlyOne, 'GET', '/api/v1/channels');
    expect((limited.body as { items: { id: number }[] }).items.map((c) => c.id)).toEqual([one]);
  });

  it('stops a key limited to one channel from reading or changing another (403)', async () => {
    const read = await apiRequest(base, onlyOne, 'GET', `/api/v1/channels/${two}/schedule`);
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'forbidden' });
    const write = await apiRequest(
      base,
      onlyOne,
      'POST',
      `/api/v1/channels/${two}/schedule/batch`,
      {
        body: { ops: [breakAt(two, t0)] },
      },
    );
    expect(write.status).toBe(403);
    expect(write.type).toContain('application/problem+json');
    // Naming the other channel inside a batch sent to its own channel is refused as well.
    const smuggled = await apiRequest(
      base,
      onlyOne,
      'POST',
      `/api/v1/channels/${one}/schedule/batch`,
      { body: { ops: [breakAt(one, t0), breakAt(two, t0)] } },
    );
    expect(smuggled.status).toBe(400);
    const range = await served.call('scheduleRange', { from: t0 - HOUR, to: t0 + HOUR });
    expect(range.items).toEqual([]);
  });

  it('applies a batch all or nothing, audited with the key as actor', async () => {
    const bad = await apiRequest(base, full, 'POST', `/api/v1/channels/${one}/schedule/batch`, {
      body: { ops: [breakAt(one, t0), breakAt(one, t0 + 30_000)] },
    });
    expect(bad.status).toBe(409);
    expect((await served.call('scheduleRange', { from: t0, to: t0 + HOUR })).items).toEqual([]);

    const good = await apiRequest(base, full, 'POST', `/api/v1/channels/${one}/schedule/batch`, {
      body: { ops: [breakAt(one, t0), breakAt(one, t0 + 60_000)] },
    });
    expect(good.status).toBe(200);
    expect((good.body as { changed: unknown[] }).changed).toHaveLength(2);
    const audit = await served.call('auditList', { filter: {}, limit: 5 });
    expect(audit.entries[0]).toMatchObject({ action: 'scheduleBatch', result: 'ok' });
    expect(audit.entries[0]!.personName).toContain('Guide publisher');
  });

  it('pages with a cursor and answers 304 to a matching ETag', async () => {
    const path = `/api/v1/channels/${one}/schedule?from=${t0 - HOUR}&to=${t0 + HOUR}&limit=1`;
    const first = await apiRequest(base, full, 'GET', path);
    const page = first.body as { items: { id: number }[]; nextCursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const second = await apiRequest(
      base,
      full,
      'GET',
      `${path}&cursor=${encodeURIComponent(page.nextCursor!)}`,
    );
    const next = second.body as { items: { id: number }[]; nextCursor: string | null };
    expect(next.items).toHaveLength(1);
    expect(next.items[0]!.id).not.toBe(page.items[0]!.id);
    expect(next.nextCursor).toBeNull();

    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await apiRequest(base, full, 'GET', path, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    const bogus = await apiRequest(base, full, 'GET', `${path}&cursor=xyz`);
    expect(bogus.status).toBe(400);
    expect(bogus.type).toContain('application/problem+json');
  });

  it('lists breaks with their splice ids and schedules one', async () => {
    const created = await apiRequest(base, full, 'POST', `/api/v1/channels/${two}/breaks`, {
      body: { startsAt: t0 + 2 * HOUR, durationMs: 90_000 },
    });
    expect(created.status).toBe(201);
    const breakId = (created.body as { spliceEventId: number }).spliceEventId;
    const listed = await apiRequest(
      base,
      full,
      'GET',
      `/api/v1/channels/${two}/breaks?from=${t0}&to=${t0 + 3 * HOUR}`,
    );
    expect((listed.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ spliceEventId: breakId, durationMs: 90_000 }),
    ]);
    // The other key has no breaks:write scope for this.
    const refused = await apiRequest(base, onlyOne, 'POST', `/api/v1/channels/${one}/breaks`, {
      body: { startsAt: t0 + 3 * HOUR, durationMs: 60_000 },
    });
    expect(refused.status).toBe(403);
  });

  it('starts a break now on a channel on air, announced with its splice id', async () => {
    const path = `/api/v1/channels/${two}/breaks/now`;
    const offAir = await apiRequest(base, full, 'POST', path, { body: { durationMs: 30_000 } });
    expect(offAir.status).toBe(409);
    expect(offAir.body).toMatchObject({ code: 'conflict' });
    expect(JSON.stringify(offAir.body)).toContain('off air');
    // Asked at once after the start, before its air begins (the epoch is up to 40 ms away):
    // the break still starts on the channel's segment grid, announced there.
    await served.call('playoutStart', { channelId: two });
    const started = await apiRequest(base, full, 'POST', path, {
      body: { durationMs: 30_000, title: 'Breaking' },
    });
    expect(started.status).toBe(201);
    const placed = started.body as { startsAt: number; durationMs: number; spliceEventId: number };
    expect(placed).toMatchObject({ durationMs: 30_000, title: 'Breaking' });
    // From the next segment boundary: within one segment of now.
    expect(placed.startsAt).toBeGreaterThanOrEqual(Date.now() - 2_000);
    expect(placed.startsAt).toBeLessThanOrEqual(Date.now() + 2_000);
    const segments = await served.core.playout.segments(
      two,
      'main',
      placed.startsAt,
      placed.startsAt + 1,
    );
    expect(segments[0]?.dateranges).toEqual([
      expect.objectContaining({
        kind: 'out',
        mark: expect.objectContaining({ durationMs: 30_000 }),
      }),
    ]);
    const bad = await apiRequest(base, full, 'POST', path, { body: { durationMs: 10 } });
    expect(bad.status).toBe(400);
    // A key without breaks:write, or limited to another channel, cannot.
    const refused = await apiRequest(base, onlyOne, 'POST', path, { body: { durationMs: 30_000 } });
    expect(refused.status).toBe(403);
    await served.call('playoutStop', { channelId: two });
  });

  it('gives the audience to a key with viewers:read, for its channels only', async () => {
    const viewers = (
      await issueKey(served, { name: 'Ratings', scopes: ['viewers:read'], channels: [one] })
    ).secret;
    const path = (id: number) => `/api/v1/channels/${id}/audience?stepMinutes=60`;
    const series = await apiRequest(base, viewers, 'GET', path(one));
    expect(series.status).toBe(200);
    const body = series.body as { channelId: number; stepMinutes: number; at: number[] };
    expect(body).toMatchObject({ channelId: one, stepMinutes: 60 });
    // The default window is the last day, in hourly steps.
    expect(body.at).toHaveLength(24);
    expect((await apiRequest(base, viewers, 'GET', path(two))).status).toBe(403);
    const programmes = await apiRequest(
      base,
      viewers,
      'GET',
      `/api/v1/channels/${one}/audience/programmes`,
    );
    expect(programmes.status).toBe(200);
    expect(programmes.body).toMatchObject({ items: [] });
    // A key without the scope is refused.
    expect((await apiRequest(base, full, 'GET', path(one))).status).toBe(403);
    const tooFine = await apiRequest(
      base,
      viewers,
      'GET',
      `/api/v1/channels/${one}/audience?stepMinutes=1&from=0&to=${62 * 86_400_000}`,
    );
    expect(tooFine.status).toBe(400);
  });

  it('starts a break asked right after a start where the air begins, never before it', async () => {
    // A first start sets the epoch up to 40 ms ahead; a break asked within it used to be placed
    // at the instant asked, off the segment grid and before the channel's air.
    for (let i = 0; i < 5; i++) {
      const { id } = await served.call('channelCreate', {
        name: `Quick ${i}`,
        number: 20 + i,
        slug: `quick-${i}`,
      });
      await served.call('playoutStart', { channelId: id });
      const brk = await served.call('playoutBreakNow', {
        channelId: id,
        durationMs: 4_000,
        title: null,
      });
      const first = (await served.core.playout.segments(id, 'main', 0, brk.effectiveAt + 1))[0];
      expect(first?.startsAt).toBeLessThanOrEqual(brk.effectiveAt);
      const at = await served.core.playout.segments(
        id,
        'main',
        brk.effectiveAt,
        brk.effectiveAt + 1,
      );
      expect(at[0]?.startsAt).toBe(brk.effectiveAt);
      expect(at[0]?.dateranges.map((d) => d.kind)).toEqual(['out']);
      await served.call('playoutStop', { channelId: id });
    }
  });

  it('answers 429 with Retry-After past the plan, per key', async () => {
    const slow = (
      await issueKey(served, {
        name: 'Tiny plan',
        scopes: ['schedule:read'],
        plan: { requestsPerMinute: 3, eventStreams: 1, webhookEndpoints: 0 },
      })
    ).secret;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await apiRequest(base, slow, 'GET', '/api/v1/health');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.type).toContain('application/problem+json');
    expect(last!.body).toMatchObject({ status: 429, code: 'rate_limited' });
    // Another key is not held back by this one.
    expect((await apiRequest(base, full, 'GET', '/api/v1/health')).status).toBe(200);
    served.core.apiKeys.flush();
    const keys = await served.call('apiKeysList', {});
    const tiny = keys.keys.find((k) => k.name === 'Tiny plan')!;
    const usage = await served.call('apiKeyUsage', { id: tiny.id });
    expect(usage.days[0]).toMatchObject({ requests: 5, limited: 2 });
    expect(tiny.lastUsedAt).not.toBeNull();
  });

  it('replays what a reconnecting event stream missed, with monotonic ids', async () => {
    const url = new URL('/api/v1/events', base).toString();
    const first = await SseClient.open(url, onlyOne);
    expect(first.status).toBe(200);
    const add = (at: number) =>
      apiRequest(base, full, 'POST', `/api/v1/channels/${one}/schedule/batch`, {
        body: { ops: [breakAt(one, at)] },
      });
    await add(t0 + 5 * HOUR);
    await waitFor('the first event', () => first.events.length >= 1, 10_000);
    const seen = first.events.at(-1)!.id!;
    first.close();
    // While disconnected: two changes on channel one, one on channel two (not this key's).
    await add(t0 + 6 * HOUR);
    await apiRequest(base, full, 'POST', `/api/v1/channels/${two}/schedule/batch`, {
      body: { ops: [breakAt(two, t0 + 6 * HOUR)] },
    });
    await add(t0 + 7 * HOUR);
    const second = await SseClient.open(url, onlyOne, seen);
    await waitFor('the missed events', () => second.events.length >= 2, 10_000);
    await add(t0 + 8 * HOUR);
    await waitFor('the live event', () => second.events.length >= 3, 10_000);
    second.close();
    const ids = second.events.map((e) => e.id!);
    expect(ids.every((id, i) => id > seen && (i === 0 || id > ids[i - 1]!))).toBe(true);
    const starts = second.events.map(
      (e) => (e.data as { data: { changed: { startsAt: number }[] } }).data.changed[0]!.startsAt,
    );
    expect(starts).toEqual([t0 + 6 * HOUR, t0 + 7 * HOUR, t0 + 8 * HOUR]);
    expect(second.events.every((e) => e.event === 'schedule.changed')).toBe(true);
    expect(second.events.every((e) => (e.data as { channelId: number }).channelId === one)).toBe(
      true,
    );
  });

  it('tells a channel-limited key of its own channels only', async () => {
    const stream = await SseClient.open(new URL('/api/v1/events', base).toString(), onlyOne);
    await served.call('channelCreate', { name: 'Three', number: 3, slug: 'three' });
    const event = await waitFor(
      'channels.changed',
      () => stream.events.find((e) => e.event === 'channels.changed'),
      10_000,
    );
    stream.close();
    const listed = (event.data as { data: { id: number }[] }).data;
    expect(listed.map((c) => c.id)).toEqual([one]);
  });

  it("ends a revoked key's event stream and refuses its next request", async () => {
    const issued = await issueKey(served, {
      name: 'Soon revoked',
      scopes: ['schedule:read', 'events:read'],
    });
    const stream = await SseClient.open(new URL('/api/v1/events', base).toString(), issued.secret);
    expect(stream.status).toBe(200);
    await served.call('apiKeyRevoke', { id: issued.key.id });
    await waitFor('the stream to close', () => stream.closed, 10_000);
    const after = await apiRequest(base, issued.secret, 'GET', '/api/v1/channels');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ detail: 'This API key was revoked.' });
  });

  it("caps a key's concurrent event streams at its plan", async () => {
    const issued = await issueKey(served, {
      name: 'One stream',
      scopes: ['events:read'],
      plan: { requestsPerMinute: 100, eventStreams: 1, webhookEndpoints: 0 },
    });
    const url = new URL('/api/v1/events', base).toString();
    const a = await SseClient.open(url, issued.secret);
    const b = await SseClient.open(url, issued.secret);
    expect([a.status, b.status]).toEqual([200, 429]);
    a.close();
  });

  it('answers test keys from the sandbox station, never from this one', async () => {
    const test = await issueKey(served, {
      name: 'Partner sandbox',
      mode: 'test',
      scopes: ['schedule:read', 'schedule:write', 'events:read'],
    });
    expect(test.secret).toMatch(/^ak_test_/);
    const health = await apiRequest(base, test.secret, 'GET', '/api/v1/health');
    expect(health.body).toMatchObject({ station: 'sandbox' });
    expect((await apiRequest(base, full, 'GET', '/api/v1/health')).body).toMatchObject({
      station: 'live',
    });
    const channels = await apiRequest(base, test.secret, 'GET', '/api/v1/channels');
    const names = (channels.body as { items: { id: number; name: string }[] }).items;
    expect(names.map((c) => c.name)).toEqual(['Sandbox News']);
    // A change through a test key lands in the sandbox; the station's schedule is untouched.
    const sandboxChannel = names[0]!.id;
    const at = t0 + 20 * HOUR;
    const write = await apiRequest(
      base,
      test.secret,
      'POST',
      `/api/v1/channels/${sandboxChannel}/schedule/batch`,
      { body: { ops: [breakAt(sandboxChannel, at)] } },
    );
    expect(write.status).toBe(200);
    expect((await served.call('scheduleRange', { from: at - HOUR, to: at + HOUR })).items).toEqual(
      [],
    );
    const read = await apiRequest(
      base,
      test.secret,
      'GET',
      `/api/v1/channels/${sandboxChannel}/schedule?from=${at - HOUR}&to=${at + HOUR}`,
    );
    expect((read.body as { items: { startsAt: number }[] }).items.map((i) => i.startsAt)).toEqual([
      at,
    ]);
    // The station's channel two does not exist in the sandbox.
    expect((await apiRequest(base, test.secret, 'GET', `/api/v1/channels/${two}/epg`)).status).toBe(
      404,
    );
  });

  it('refuses a scope the key does not have', async () => {
    const answer = await apiRequest(base, onlyOne, 'GET', '/api/v1/recordings');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ detail: 'This key lacks the recordings:read scope.' });
  });
});
