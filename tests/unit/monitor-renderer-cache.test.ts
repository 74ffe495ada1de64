import { describe, expect, it } from 'vitest';
import type { Alarm, Dashboard, PlayoutStatus } from '../../src-shared/contract';
import { patchActive, patchLog, type LogData } from '../../src-renderer/features/alarms/cache';
import { patchChannel } from '../../src-renderer/features/dashboard/cache';

const alarm = (id: number, patch: Partial<Alarm> = {}): Alarm => ({
  id,
  sourceKind: 'outside',
  sourceId: 1,
  sourceName: 'Feed',
  kind: 'offline',
  severity: 'critical',
  itemId: null,
  raisedAt: 1000 + id,
  clearedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  message: 'Cannot open the stream',
  ...patch,
});

describe('alarm events patch the alarms screen', () => {
  it('keeps the active list newest first: raised joins, acknowledged replaces, cleared leaves', () => {
    let active = patchActive([], { change: 'raised', alarm: alarm(1) });
    active = patchActive(active, { change: 'raised', alarm: alarm(2, { kind: 'black' }) });
    expect(active.map((a) => a.id)).toEqual([2, 1]);
    const acked = alarm(1, { acknowledgedAt: 5000, acknowledgedBy: 'desk' });
    active = patchActive(active, { change: 'acknowledged', alarm: acked });
    expect(active).toEqual([alarm(2, { kind: 'black' }), acked]);
    active = patchActive(active, { change: 'cleared', alarm: { ...acked, clearedAt: 6000 } });
    expect(active.map((a) => a.id)).toEqual([2]);
  });

  it('puts a new alarm on top of a log it matches and updates one it holds', () => {
    const log: LogData = {
      pages: [
        { active: [], log: [alarm(3), alarm(2)], nextBeforeId: 2 },
        { active: [], log: [alarm(1)], nextBeforeId: null },
      ],
      pageParams: [undefined, 2],
    };
    const withNew = patchLog(log, {}, alarm(4));
    expect(withNew.pages[0]!.log.map((a) => a.id)).toEqual([4, 3, 2]);
    // Filtered on another kind: not shown.
    expect(patchLog(log, { kind: 'black' }, alarm(4)).pages[0]!.log).toHaveLength(2);
    // A cleared alarm on the second page is replaced where it is.
    const cleared = patchLog(log, { kind: 'black' }, alarm(1, { clearedAt: 9 }));
    expect(cleared.pages[1]!.log[0]!.clearedAt).toBe(9);
    expect(cleared.pages[0]!.log).toHaveLength(2);
  });
});

describe('playout events patch the dashboard', () => {
  it('replaces a channel row with its new status (programme, tally)', () => {
    const data: Dashboard = {
      figures: {
        at: 0,
        viewers: [],
        viewersTotal: 0,
        ingest: { queued: 0, running: 0, failed: 0 },
        disk: { path: '/d', freeBytes: 1, totalBytes: 2 },
        cache: null,
        ffmpeg: { children: 0, byLabel: [] },
        process: { cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0, load: [], cores: 2 },
        alarms: { active: 0, unacknowledged: 0 },
        detectors: [],
      },
      channels: [
        { channelId: 1, slug: 'a', name: 'A', onAir: false, held: false, now: null, next: null },
      ],
    };
    const status = {
      channelId: 1,
      slug: 'a',
      name: 'A',
      onAir: true,
      held: false,
      now: {
        title: 'News',
        startsAt: 10,
        endsAt: 20,
        offsetMs: 1,
        itemId: 3,
        assetId: 4,
        kind: 'programme',
        category: null,
      },
      next: {
        title: 'Weather',
        startsAt: 20,
        endsAt: 30,
        itemId: 5,
        assetId: 6,
        kind: 'programme',
        category: null,
      },
    } as PlayoutStatus;
    const patched = patchChannel(data, status);
    expect(patched.channels).toEqual([
      {
        channelId: 1,
        slug: 'a',
        name: 'A',
        onAir: true,
        held: false,
        now: { title: 'News', startsAt: 10, endsAt: 20 },
        next: { title: 'Weather', startsAt: 20 },
      },
    ]);
    expect(patchChannel(data, { ...status, channelId: 2 }).channels).toHaveLength(2);
  });
});
