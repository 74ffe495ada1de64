// Viewer subscriptions on a real serve: two channels on air (slate), subscribers on plans, and
// players fetching the HLS and live.ts outputs over real HTTP with their personal keys. A
// channel outside the plan, the stream beyond the cap and an ended plan are refused with words
// a viewer can read, while other subscribers (and keyless viewers) keep playing.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

type Refusal = { code: string; message: string };

describe('viewer subscriptions', () => {
  const dir = makeTempDir('airdeck-subscribers-');
  let served: ServedCore;
  let base: string;
  let newsId: number;
  let sportId: number;
  const keys: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
  let aliceId = 0;
  let bobId = 0;

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(path.startsWith('http') ? path : `${base}${path}`, { headers });

  /** A player starting from the master playlist: the variant URL it would open next. */
  async function openPlayer(slug: string, key: string) {
    const master = await get(`/channels/${slug}/index.m3u8?key=${key}`);
    if (master.status !== 200)
      return { status: master.status, body: (await master.json()) as Refusal };
    const text = await master.text();
    const main = text.split('\n').find((line) => line.startsWith('main.m3u8'))!;
    return { status: 200, main: `/channels/${slug}/${main}` };
  }

  /**
   * Fetches a media playlist and its oldest segment (the newest may still be being cut; a
   * player starts a few segments back too), as a player does every few seconds.
   */
  async function play(mainPath: string) {
    const playlist = await get(mainPath);
    if (playlist.status !== 200)
      return { status: playlist.status, body: (await playlist.json()) as Refusal };
    const uris = (await playlist.text()).split('\n').filter((l) => l && !l.startsWith('#'));
    const segment = await get(`${mainPath.slice(0, mainPath.lastIndexOf('/') + 1)}${uris[0]!}`);
    const bytes = Buffer.from(await segment.arrayBuffer());
    return { status: segment.status, type: segment.headers.get('content-type'), bytes, uris };
  }

  beforeAll(async () => {
    served = await startServedCore(dir.path);
    base = served.server.url.replace(/\/$/, '');
    await served.call('settingsSet', {
      stationName: 'Subscribed TV',
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    newsId = (await served.call('channelCreate', { name: 'News', number: 1, slug: 'news' })).id;
    sportId = (await served.call('channelCreate', { name: 'Sport', number: 2, slug: 'sport' })).id;
    await served.call('playoutStart', { channelId: newsId });
    await served.call('playoutStart', { channelId: sportId });
    // On air, and the station slate made (its segments are what both channels play).
    await waitFor('both channels on air', async () => {
      const a = await get('/channels/news/main.m3u8');
      const b = await get('/channels/sport/main.m3u8');
      return a.status === 200 && b.status === 200;
    });
    await waitFor('a segment served', async () => {
      const a = await play('/channels/news/main.m3u8');
      const b = await play('/channels/sport/main.m3u8');
      return a.status === 200 && b.status === 200;
    });

    const basic = await served.call('subscriberPlanSave', {
      name: 'Basic',
      channels: [newsId],
      maxStreams: 2,
    });
    // A season pass that is over.
    const season = await served.call('subscriberPlanSave', {
      name: 'Season 2025',
      channels: [newsId, sportId],
      maxStreams: 4,
      expiresAt: Date.now() - 60_000,
    });
    const alice = await served.call('subscriberCreate', { name: 'Alice', planId: basic.id });
    const bob = await served.call('subscriberCreate', { name: 'Bob', planId: basic.id });
    const carol = await served.call('subscriberCreate', { name: 'Carol', planId: season.id });
    keys.alice = alice.secret;
    keys.bob = bob.secret;
    keys.carol = carol.secret;
    aliceId = alice.subscriber.id;
    bobId = bob.subscriber.id;
    expect(alice.secret).toMatch(/^sub_[0-9a-f]{40}$/);
    expect(alice.subscriber.prefix).toBe(alice.secret.slice(0, 10));
    expect(alice.playlistPath).toBe(`/sub/${alice.secret}/playlist.m3u`);
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  it('never shows a key again after it was issued', async () => {
    const { subscribers } = await served.call('subscribersList', {});
    const text = JSON.stringify(subscribers);
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
    expect(subscribers.map((s) => s.name).sort()).toEqual(['Alice', 'Bob', 'Carol']);
  });

  it('lists only the plan’s channels in the personal M3U and XMLTV, which tv_validate_file accepts', async () => {
    const m3u = await (await get(`/sub/${keys.alice}/playlist.m3u`)).text();
    expect(m3u.startsWith(`#EXTM3U url-tvg="${base}/sub/${keys.alice}/xmltv.xml"`)).toBe(true);
    expect([...m3u.matchAll(/tvg-id="([^"]+)"/g)].map((m) => m[1])).toEqual(['news.airdeck']);
    expect(m3u).toContain(`${base}/channels/news/index.m3u8?key=${keys.alice}`);
    expect(m3u).not.toContain('sport');
    const ts = await (await get(`/sub/${keys.alice}/playlist.m3u?format=ts`)).text();
    expect(ts).toContain(`${base}/channels/news/live.ts?key=${keys.alice}`);

    const epg = await (await get(`/sub/${keys.alice}/xmltv.xml`)).text();
    expect(epg).toContain('<channel id="news.airdeck">');
    expect(epg).not.toContain('sport.airdeck');
    const file = join(dir.path, 'alice.xml');
    writeFileSync(file, epg);
    const env = { ...process.env, XMLTV_SUPPLEMENT: '/usr/share/xmltv' };
    const code = await new Promise<number>((resolve) =>
      execFile('tv_validate_file', [file], { env }, (error) =>
        resolve(error ? Number(error.code ?? 1) : 0),
      ),
    );
    expect(code).toBe(0);

    // The season pass lists both channels but is over: its playlist says so.
    const ended = await get(`/sub/${keys.carol}/playlist.m3u`);
    expect(ended.status).toBe(403);
    expect(((await ended.json()) as Refusal).code).toBe('subscription_expired');
    const unknown = await get(`/sub/sub_${'0'.repeat(40)}/playlist.m3u`);
    expect(unknown.status).toBe(401);
  });

  it('refuses a channel outside the plan, the third stream and an ended plan, while others play', async () => {
    // Alice's two players.
    const one = await openPlayer('news', keys.alice);
    const two = await openPlayer('news', keys.alice);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(one.main).toMatch(/main\.m3u8\?key=sub_[0-9a-f]{40}&s=[0-9a-f]{16}$/);
    expect(one.main).not.toBe(two.main);
    const playOne = await play(one.main!);
    const playTwo = await play(two.main!);
    expect(playOne.status).toBe(200);
    expect(playOne.type).toBe('video/mp2t');
    expect(playOne.bytes![0]).toBe(0x47);
    expect(playOne.uris!.every((u) => u.includes(`key=${keys.alice}`))).toBe(true);
    expect(playTwo.status).toBe(200);

    // The third: refused at the master, and on a made-up session too, and on live.ts.
    const three = await openPlayer('news', keys.alice);
    expect(three.status).toBe(429);
    expect(three.body).toEqual({
      code: 'too_many_streams',
      message: expect.stringContaining('allows 2 streams at once and 2 are playing'),
    });
    const sneaky = await get(`/channels/news/main.m3u8?key=${keys.alice}&s=0123456789abcdef`);
    expect(sneaky.status).toBe(429);
    expect(sneaky.headers.get('retry-after')).toMatch(/^\d+$/);
    const liveThree = await get(`/channels/news/live.ts?key=${keys.alice}`);
    expect(liveThree.status).toBe(429);
    expect(((await liveThree.json()) as Refusal).code).toBe('too_many_streams');

    // A channel outside the package.
    const sport = await openPlayer('sport', keys.alice);
    expect(sport.status).toBe(403);
    expect(sport.body).toEqual({
      code: 'channel_not_in_plan',
      message: 'Sport is not in your plan “Basic”.',
    });
    const sportLive = await get(`/channels/sport/live.ts?key=${keys.alice}`);
    expect(sportLive.status).toBe(403);

    // An ended plan.
    const carol = await openPlayer('news', keys.carol);
    expect(carol.status).toBe(403);
    expect(carol.body!.code).toBe('subscription_expired');
    expect(carol.body!.message).toMatch(
      /^This subscription \(plan “Season 2025”\) ended on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    expect((await get(`/channels/news/live.ts?key=${keys.carol}`)).status).toBe(403);

    // Meanwhile: Alice's two players go on, Bob plays, a keyless viewer plays.
    expect((await play(one.main!)).status).toBe(200);
    expect((await play(two.main!)).status).toBe(200);
    const bob = await openPlayer('news', keys.bob);
    expect(bob.status).toBe(200);
    expect((await play(bob.main!)).status).toBe(200);
    expect((await play('/channels/news/main.m3u8')).status).toBe(200);
    expect((await play('/channels/sport/main.m3u8')).status).toBe(200);

    const usage = await served.call('subscriberUsage', { id: aliceId, days: 7 });
    expect(usage.streamsNow).toBe(2);
    expect(usage.days[0]!.segments).toBe(4);
    expect(usage.days[0]!.refused).toBeGreaterThanOrEqual(5);
  });

  it('refuses a paused subscriber until resumed, and a plan naming no such channel', async () => {
    const plan = (await served.call('subscriberPlansList', {})).plans.find(
      (p) => p.name === 'Basic',
    )!;
    const dave = await served.call('subscriberCreate', { name: 'Dave', planId: plan.id });
    await served.call('subscriberUpdate', { id: dave.subscriber.id, enabled: false });
    const paused = await openPlayer('news', dave.secret);
    expect(paused.status).toBe(403);
    expect(paused.body!.code).toBe('subscription_paused');
    await served.call('subscriberUpdate', { id: dave.subscriber.id, enabled: true });
    expect((await openPlayer('news', dave.secret)).status).toBe(200);
    await expect(
      served.call('subscriberPlanSave', { name: 'Ghost', channels: [9999], maxStreams: 1 }),
    ).rejects.toThrow('invalid_request: No channel 9999.');
    await expect(served.call('subscriberPlanDelete', { id: plan.id })).rejects.toThrow(
      /conflict: 3 subscribers are on this plan/,
    );
  });

  it('holds live.ts to the plan and ends a revoked subscriber’s stream', async () => {
    const response = await get(`/channels/news/live.ts?key=${keys.bob}`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    // Bob has his HLS player and this stream: a third is refused.
    expect((await get(`/channels/news/live.ts?key=${keys.bob}`)).status).toBe(429);

    await served.call('subscriberRevoke', { id: bobId });
    let done = false;
    while (!done) {
      done = await reader.read().then(
        (chunk) => chunk.done,
        () => true,
      );
    }
    expect(done).toBe(true);
    const after = await get(`/channels/news/index.m3u8?key=${keys.bob}`);
    expect(after.status).toBe(403);
    expect(((await after.json()) as Refusal).message).toMatch(/^This subscription was revoked on /);
    // Alice is untouched.
    expect((await openPlayer('news', keys.alice)).status).toBe(429);
  });

  it('keeps subscriber keys working when the station closes keyless outputs', async () => {
    await served.call('outputsSettingsSet', { requireKey: true, key: 'station-key-1234' });
    try {
      expect((await get('/channels/news/index.m3u8')).status).toBe(401);
      expect((await get('/channels/news/index.m3u8?key=station-key-1234')).status).toBe(200);
      const m3u = await get(`/sub/${keys.alice}/playlist.m3u`);
      expect(m3u.status).toBe(200);
      // Alice's sessions still count: she may not open a third, but her players go on.
      expect((await openPlayer('news', keys.alice)).status).toBe(429);
    } finally {
      await served.call('outputsSettingsSet', { requireKey: false, key: '' });
    }
  });
});
