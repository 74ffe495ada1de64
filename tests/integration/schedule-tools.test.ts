import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDayRange } from '../../src-shared/timeline';
import { startScheduleCore, type ScheduleHarness } from './schedule-harness';

const MIN = 60_000;
const H = 60 * MIN;

describe('fill, templates, copy, validation and exchange through the real core', () => {
  let h: ScheduleHarness;
  let channelId: number;
  let cartoons: number;
  const durations = [7 * MIN + 480, 11 * MIN + 40, 22 * MIN, 3 * MIN + 1_001, 14 * MIN];

  beforeEach(async () => {
    h = await startScheduleCore(Date.parse('2025-03-01T00:00:00Z'));
    await h.call('settingsSet', { timeZone: 'Europe/Berlin' });
    cartoons = h.addFolder('Cartoons');
    durations.forEach((d, i) => h.addAsset(cartoons, `Cartoon ${i + 1}`, d));
    h.addAsset(cartoons, 'Still ingesting', 5 * MIN, 'ingesting');
    channelId = (await h.call('channelCreate', { name: 'Kids', number: 5, slug: 'kids' })).id;
  });
  afterEach(() => h.close());

  const validate = (from: number, to: number) =>
    h.call('scheduleValidate', { channelId, from, to });

  it('fills a 23 h DST day exactly and gaplessly from ready assets only', async () => {
    const day = localDayRange('Europe/Berlin', '2025-03-30');
    expect(day.end - day.start).toBe(23 * H);
    const result = await h.call('scheduleFillRange', {
      channelId,
      from: day.start,
      to: day.end,
      folderId: cartoons,
      order: 'shuffled',
      seed: 11,
      noRepeatWithinMs: 30 * MIN,
    });
    expect(result.filled).toEqual([day]);
    expect(result.unfilled).toEqual([]);
    const items = result.changed;
    expect(items[0]?.startsAt).toBe(day.start);
    expect(items.at(-1)?.endsAt).toBe(day.end);
    expect(items.reduce((sum, i) => sum + i.durationMs, 0)).toBe(23 * H);
    expect(items.every((i) => i.asset?.state === 'ready')).toBe(true);
    const report = await validate(day.start, day.end);
    expect(report.gaps).toEqual([]);
    expect(report.overlaps).toEqual([]);
    expect(report.media).toEqual([]);
    // Same seed on another channel: the same sequence.
    const twin = (await h.call('channelCreate', { name: 'Twin', number: 6, slug: 'twin' })).id;
    const again = await h.call('scheduleFillRange', {
      channelId: twin,
      from: day.start,
      to: day.end,
      folderId: cartoons,
      order: 'shuffled',
      seed: 11,
      noRepeatWithinMs: 30 * MIN,
    });
    expect(again.changed.map((i) => [i.assetId, i.startsAt, i.durationMs])).toEqual(
      items.map((i) => [i.assetId, i.startsAt, i.durationMs]),
    );
  });

  it('fills only the gap around a point', async () => {
    const base = Date.parse('2025-03-02T10:00:00Z');
    await h.call('scheduleAdd', { channelId, kind: 'break', durationMs: H, startsAt: base });
    await h.call('scheduleAdd', {
      channelId,
      kind: 'break',
      durationMs: H,
      startsAt: base + 2 * H + 17,
    });
    const result = await h.call('scheduleFillGap', {
      channelId,
      at: base + 90 * MIN,
      folderId: cartoons,
    });
    expect(result.changed[0]?.startsAt).toBe(base + H);
    expect(result.changed.at(-1)?.endsAt).toBe(base + 2 * H + 17);
    expect((await validate(base, base + 3 * H + 17)).gaps).toEqual([]);
  });

  it('applies a weekday template over a DST change in New York', async () => {
    await h.call('settingsSet', { timeZone: 'America/New_York' });
    const template = await h.call('templateCreate', {
      name: 'Mornings',
      blocks: [
        {
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          start: '00:00',
          end: '06:00',
          folderId: cartoons,
          order: 'ordered',
        },
      ],
    });
    const result = await h.call('templateApply', {
      templateId: template.id,
      channelId,
      fromDate: '2025-03-08',
      toDate: '2025-03-10',
    });
    const hours = result.filled.map((w) => (w.end - w.start) / H);
    expect(hours).toEqual([6, 5, 6]); // 2025-03-09 loses its 02:00 hour
    for (const w of result.filled) {
      const inside = result.changed.filter((i) => i.startsAt >= w.start && i.startsAt < w.end);
      expect(inside[0]?.startsAt).toBe(w.start);
      expect(inside.at(-1)?.endsAt).toBe(w.end);
    }
    const stale = await h.fail('templateUpdate', {
      id: template.id,
      version: 2,
      set: { name: 'x' },
    });
    expect(stale.code).toBe('conflict');
  });

  it('copies a day to other days, refusing clashes unless replacing', async () => {
    const day = localDayRange('Europe/Berlin', '2025-03-03');
    await h.call('scheduleFillRange', {
      channelId,
      from: day.start + 6 * H,
      to: day.start + 9 * H,
      folderId: cartoons,
    });
    const copy = await h.call('scheduleCopyDays', {
      channelId,
      sourceDate: '2025-03-03',
      targetDates: ['2025-03-04', '2025-03-05'],
    });
    const source = (
      await h.call('scheduleRange', { channelIds: [channelId], from: day.start, to: day.end })
    ).items;
    expect(copy.changed).toHaveLength(source.length * 2);
    expect(copy.changed[0]?.startsAt).toBe(day.start + 24 * H + 6 * H);
    expect(
      (
        await h.fail('scheduleCopyDays', {
          channelId,
          sourceDate: '2025-03-03',
          targetDates: ['2025-03-04'],
        })
      ).code,
    ).toBe('conflict');
    const replaced = await h.call('scheduleCopyDays', {
      channelId,
      sourceDate: '2025-03-03',
      targetDates: ['2025-03-04'],
      replace: true,
    });
    expect(replaced.removed).toHaveLength(source.length);
  });

  it('reports gaps, overlaps, media that is not ready and items crossing a DST change', async () => {
    const change = Date.parse('2025-03-30T01:00:00Z');
    const notReady = h.addAsset(cartoons, 'Broken', 30 * MIN, 'failed');
    const a = (
      await h.call('scheduleAdd', {
        channelId,
        kind: 'asset',
        assetId: notReady,
        startsAt: change - 10 * MIN,
      })
    ).changed[0]!;
    // An overlap can only come from outside the engine (an old import, a hand edit): plant one.
    h.db
      .prepare(
        'INSERT INTO schedule_items (channel_id, kind, starts_at, duration_ms, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)',
      )
      .run(channelId, 'break', change, 60_000);
    const report = await validate(change - H, change + H);
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([
      { start: change - H, end: change - 10 * MIN, durationMs: 50 * MIN },
      { start: change + 20 * MIN, end: change + H, durationMs: 40 * MIN },
    ]);
    expect(report.overlaps).toHaveLength(1);
    expect(report.media).toEqual([expect.objectContaining({ itemId: a.id, problem: 'failed' })]);
    expect(report.dst).toEqual([
      { itemId: a.id, at: change, offsetBeforeMs: H, offsetAfterMs: 2 * H },
    ]);
  });

  it('exports and re-imports CSV and JSON exactly', async () => {
    const from = Date.parse('2025-03-04T05:00:00Z');
    const to = from + 6 * H;
    await h.call('scheduleFillRange', {
      channelId,
      from,
      to: from + 3 * H,
      folderId: cartoons,
      order: 'shuffled',
      seed: 3,
    });
    const programme = (
      await h.call('scheduleAdd', {
        channelId,
        kind: 'asset',
        assetId: 1,
        startsAt: from + 4 * H,
        title: 'Quoted, "title"\nwith a line break',
      })
    ).changed[0]!;
    await h.call('scheduleAdd', {
      channelId,
      kind: 'break',
      parent: { id: programme.id, version: 1 },
      offsetMs: 2 * MIN,
      durationMs: 90_000,
      category: 'ads',
    });
    for (const format of ['csv', 'json'] as const) {
      const first = await h.call('scheduleExport', { channelId, from, to, format });
      expect(first.count).toBeGreaterThan(5);
      const events = h.record('scheduleChanged');
      await h.call('scheduleImport', {
        channelId,
        format,
        text: first.text,
        mode: 'replace-range',
        from,
        to,
      });
      expect(events).toHaveLength(1);
      const second = await h.call('scheduleExport', { channelId, from, to, format });
      expect(second.text).toBe(first.text);
    }
    const csv = (await h.call('scheduleExport', { channelId, from, to, format: 'csv' })).text;
    expect(csv.split('\n')[0]).toBe(
      'ref,parent_ref,kind,starts_at_utc,starts_at_ms,duration_ms,in_ms,offset_ms,asset_id,asset_name,title,category',
    );
    expect(csv.split('\n')[1]).toMatch(/^1,,asset,2025-03-04T05:00:00\.000Z,1741064400000,/);
  });

  it('rejects a bad import with every problem by row and changes nothing', async () => {
    const text = [
      'ref,parent_ref,kind,starts_at_utc,starts_at_ms,duration_ms,in_ms,offset_ms,asset_id,asset_name,title,category',
      '1,,asset,2025-03-04T05:00:00.000Z,1741064400000,60000,0,,1,,ok,',
      '2,,asset,2025-03-04T06:00:00.000Z,1741064400001,60000,0,,1,,disagree,',
      '3,,film,,1741071600000,abc,0,,1,,,',
      '4,9,break,,,60000,0,1000,,,,',
      '5,,asset,,1741075200000,60000,0,,999,,,',
      '6,,asset,,1741078800000,99999999,0,,1,,,',
    ].join('\n');
    const error = await h.fail('scheduleImport', { channelId, format: 'csv', text, mode: 'merge' });
    expect(error.code).toBe('invalid_request');
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^line 3: starts_at_utc .* disagree/);
    expect(lines[1]).toMatch(/^line 4: .*kind.*durationMs/);
    expect(lines[2]).toMatch(/^line 5: parent_ref 9 is not an earlier programme row/);
    expect(lines[3]).toMatch(/^line 6: asset 999 does not exist/);
    expect(lines[4]).toMatch(/^line 7: .*past the end of asset 1/);
    const json = await h.fail('scheduleImport', {
      channelId,
      format: 'json',
      text: JSON.stringify({
        format: 'airdeck-schedule',
        version: 1,
        items: [{ ref: 1, kind: 'break' }],
      }),
      mode: 'merge',
    });
    expect(json.message).toMatch(/items\[0\]: durationMs/);
    expect((await h.call('scheduleRange', { from: 0, to: 62 * 86_400_000 })).items).toEqual([]);
  });
});
