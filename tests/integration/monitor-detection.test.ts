// Alarms from real ffmpeg: a generated HLS stream with a black stretch, a frozen stretch and a
// silent stretch at known times, served from a test HTTP server on loopback. The detector
// judges on the stream's own timeline, so the instants it reports are exact (to the frame)
// however fast the machine reads the stream.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFfmpegRegistry, resolveFfmpeg } from '../../src-main/core/ffmpeg';
import { startDetector, type DetectorTransition } from '../../src-main/core/monitor/detector';
import {
  STRETCHES,
  makeStretchesStream,
  serveFolder,
  testSettings,
} from '../helpers/monitor-stream';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/served-core';
import type { AlarmsSettings } from '../../src-shared/contract';

describe('detector on a real stream', () => {
  const dir = makeTempDir('airdeck-monitor-');
  let served: { url: string; close(): Promise<void> };
  const binary = resolveFfmpeg().ffmpeg.path;

  beforeAll(async () => {
    await makeStretchesStream(dir.path);
    served = await serveFolder(dir.path);
  });
  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  // One pass is enough: no restart while the test reads what the first one found.
  const watchOnePass = (url: string, settings: AlarmsSettings) => {
    const registry = createFfmpegRegistry();
    const transitions: DetectorTransition[] = [];
    const detector = startDetector({
      url,
      label: 'monitor test',
      binary,
      registry,
      clock: { now: () => Date.now() },
      settings,
      onTransition: (t) => transitions.push(t),
      backoff: { initialMs: 60_000 },
    });
    return { registry, transitions, detector };
  };

  it('raises and clears black, freeze and silence at the right stream times', async () => {
    const settings = testSettings();
    const { registry, transitions, detector } = watchOnePass(`${served.url}index.m3u8`, settings);
    try {
      await waitFor('the silence to clear', () =>
        transitions.some((t) => t.kind === 'silence' && t.type === 'clear'),
      );
    } finally {
      await detector.stop();
    }
    const media = transitions.filter((t) => t.clock === 'stream');
    const at = (kind: string, type: string) =>
      media.filter((t) => t.kind === kind && t.type === type).map((t) => t.atMs);
    const { detectMinMs } = settings.thresholds;
    // ffmpeg shifts the stream so its first packet is at 0: the AAC priming puts the picture
    // a frame late at most. One frame (40 ms) plus that shift is the tolerance.
    const expectNear = (actual: number[], expected: number) => {
      expect(actual).toHaveLength(1);
      expect(Math.abs(actual[0]! - expected)).toBeLessThanOrEqual(80);
    };
    for (const kind of ['black', 'freeze', 'silence'] as const) {
      const { from, to } = STRETCHES[kind];
      expectNear(at(kind, 'raise'), from * 1000 + detectMinMs + settings.kinds[kind].setDelayMs);
      expectNear(at(kind, 'clear'), to * 1000 + settings.kinds[kind].clearDelayMs);
    }
    // The black picture is still too, but that is the black alarm's: no freeze during it.
    expect(media.filter((t) => t.kind === 'freeze')).toHaveLength(2);
    // The stream was read: neither offline nor stalled.
    expect(transitions.filter((t) => t.clock === 'wall')).toEqual([]);
    expect(registry.size).toBe(0);
  });

  it('raises stalled when a live playlist stops growing, and clears it when media flows again', async () => {
    const full = readFileSync(join(dir.path, 'index.m3u8'), 'utf8').split('\n');
    const header = full.filter(
      (l) =>
        l.startsWith('#EXT') &&
        !l.startsWith('#EXTINF') &&
        !l.startsWith('#EXT-X-ENDLIST') &&
        !l.startsWith('#EXT-X-PLAYLIST-TYPE'),
    );
    const entries: string[][] = [];
    for (let i = 0; i < full.length; i++)
      if (full[i]!.startsWith('#EXTINF')) entries.push([full[i]!, full[i + 1]!]);
    // A live playlist with the first three segments, then nothing new.
    const live = (count: number, ended: boolean) =>
      [...header, ...entries.slice(0, count).flat(), ...(ended ? ['#EXT-X-ENDLIST'] : []), ''].join(
        '\n',
      );
    writeFileSync(join(dir.path, 'live.m3u8'), live(3, false));
    const settings = testSettings();
    settings.thresholds.stalledAfterMs = 1000;
    const { registry, transitions, detector } = watchOnePass(`${served.url}live.m3u8`, settings);
    try {
      const raised = await waitFor('stalled', () => transitions.find((t) => t.kind === 'stalled'));
      expect(raised).toMatchObject({
        type: 'raise',
        clock: 'wall',
        message: 'No new media for 1 s',
      });
      expect(detector.status().state).toBe('stalled');
      // The source catches up: the rest of the stream arrives.
      writeFileSync(join(dir.path, 'live.m3u8'), live(entries.length, true));
      const cleared = await waitFor('stalled to clear', () =>
        transitions.find((t) => t.kind === 'stalled' && t.type === 'clear'),
      );
      expect(cleared.atMs - raised.atMs).toBeGreaterThanOrEqual(
        settings.kinds.stalled.clearDelayMs,
      );
      expect(transitions.filter((t) => t.kind === 'offline')).toEqual([]);
    } finally {
      await detector.stop();
    }
    expect(registry.size).toBe(0);
  });

  it('raises offline on the first failed open and clears it once media flows', async () => {
    const registry = createFfmpegRegistry();
    const transitions: DetectorTransition[] = [];
    // A port nothing listens on: connection refused at once.
    const closed = await serveFolder(dir.path);
    let url = `${closed.url}index.m3u8`;
    await closed.close();
    const detector = startDetector({
      // Read at every attempt, so the test can bring the stream back.
      get url() {
        return url;
      },
      label: 'monitor test',
      binary,
      registry,
      clock: { now: () => Date.now() },
      settings: testSettings(),
      onTransition: (t) => transitions.push(t),
      backoff: { initialMs: 200, maxMs: 200 },
    });
    try {
      await waitFor('offline', () => transitions.find((t) => t.kind === 'offline'));
      const raised = transitions.find((t) => t.kind === 'offline')!;
      expect(raised.type).toBe('raise');
      expect(raised.message).toMatch(/refused|Cannot open|Connection/i);
      expect(detector.status().state).toBe('offline');
      // Only one raise however many restarts fail.
      await waitFor('a second failed attempt', () => detector.status().restarts >= 2);
      expect(transitions.filter((t) => t.kind === 'offline')).toHaveLength(1);
      // The stream comes back (the next attempt reads a live server): offline clears.
      url = `${served.url}index.m3u8`;
      await waitFor('offline to clear', () =>
        transitions.find((t) => t.kind === 'offline' && t.type === 'clear'),
      );
      expect(transitions.filter((t) => t.kind === 'offline').map((t) => t.type)).toEqual([
        'raise',
        'clear',
      ]);
    } finally {
      await detector.stop();
    }
    expect(registry.size).toBe(0);
  });
});
