// "My shift" and the report templates and history over the contract on a real core: an editor
// signed in during a shift gets its channels, sources and handover notes; outside it, the
// admin's rule on working outside a shift; reports built leave a history with their outcome.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyShift, ReportRun, ReportTemplate } from '../../src-shared/contract';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';
import type { TestWsClient } from '../helpers/ws-client';

const HOUR = 3_600_000;
const PASSWORD = 'a-long-enough-password';

async function ok<T>(client: TestWsClient, method: string, params: unknown = {}): Promise<T> {
  const answer = await client.call(method, params);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.message}`);
  return answer.result as T;
}

describe('my shift and report bookkeeping', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let running: ServedCore;
  let anna: number;
  let channelId: number;
  let sourceId: number;

  beforeAll(async () => {
    dir = makeTempDir();
    running = await startServedCore(dir.path);
    const person = async (username: string, role: 'manager' | 'editor') =>
      (
        await running.call('personCreate', {
          username,
          displayName: username.toUpperCase(),
          role,
          password: PASSWORD,
        })
      ).id;
    await person('mira', 'manager');
    anna = await person('anna', 'editor');
    channelId = (await running.call('channelCreate', { name: 'News', number: 1, slug: 'news' })).id;
    sourceId = (
      await running.call('recorderSourceAdd', {
        name: 'Rival One',
        url: 'http://127.0.0.1:9/live.m3u8',
        enabled: false,
      })
    ).id;
  });
  afterAll(async () => {
    await running?.close();
    dir?.remove();
  });

  it('gives an editor their running shift with its sources and the handover first', async () => {
    const editor = await running.connect(await running.signIn('anna', PASSWORD));
    const before = await ok<MyShift>(editor, 'myShift');
    expect(before.shift).toBeNull();
    expect(before.onShift).toBe(false);
    expect(before.allowWorkOutsideShift).toBe(true);

    const now = Date.now();
    await running.call('shiftCreate', {
      personId: anna,
      start: now - HOUR,
      end: now + 7 * HOUR,
      channelIds: [channelId],
      sourceIds: [sourceId],
    });
    const admin = await running.connect();
    await ok(admin, 'handoverSet', { channelId, text: 'Watch the 18:00 break' });
    const during = await ok<MyShift>(editor, 'myShift');
    expect(during.onShift).toBe(true);
    expect(during.sources).toEqual([{ id: sourceId, name: 'Rival One' }]);
    expect(during.channels).toEqual([{ id: channelId, name: 'News' }]);
    expect(during.handover.map((h) => [h.channelName, h.text])).toEqual([
      ['News', 'Watch the 18:00 break'],
    ]);

    // Another person's shift is not theirs; the next one of their own is named, not running.
    const mira = await running.connect(await running.signIn('mira', PASSWORD));
    const miraShift = await ok<MyShift>(mira, 'myShift');
    expect(miraShift.shift).toBeNull();
    await running.call('shiftSettingsSet', { allowWorkOutsideShift: false });
    expect((await ok<MyShift>(mira, 'myShift')).allowWorkOutsideShift).toBe(false);
    expect((await running.call('shiftSettingsGet', {})).allowWorkOutsideShift).toBe(false);
  });

  it('gives one occurrence of a series to a stand-in, with its own sources', async () => {
    await running.call('settingsSet', { timeZone: 'Europe/Berlin' });
    await running.call('shiftSettingsSet', { allowWorkOutsideShift: true });
    const ben = (
      await running.call('personCreate', {
        username: 'ben',
        displayName: 'BEN',
        role: 'editor',
        password: PASSWORD,
      })
    ).id;
    const other = (
      await running.call('recorderSourceAdd', {
        name: 'Rival Two',
        url: 'http://127.0.0.1:9/two.m3u8',
        enabled: false,
      })
    ).id;
    // A daily series of Anna's whose occurrence of today started an hour ago.
    const began = DateTime.now().setZone('Europe/Berlin').minus({ hours: 1 }).startOf('minute');
    const seriesId = (
      await running.call('shiftSeriesCreate', {
        personId: anna,
        rrule: 'FREQ=DAILY',
        startDate: began.minus({ days: 2 }).toISODate()!,
        startTime: began.toFormat('HH:mm'),
        durationMinutes: 4 * 60,
        channelIds: [channelId],
        sourceIds: [sourceId],
      })
    ).id;
    const occurrenceStart = began.toMillis();
    const bens = await running.connect(await running.signIn('ben', PASSWORD));
    expect((await ok<MyShift>(bens, 'myShift')).onShift).toBe(false);

    const unknown = await (
      await running.connect()
    ).call('shiftSeriesException', {
      seriesId,
      occurrenceStart,
      exception: {
        kind: 'move',
        occurrenceStart,
        start: occurrenceStart,
        end: occurrenceStart + HOUR,
        personId: 999,
      },
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await running.call('shiftSeriesException', {
      seriesId,
      occurrenceStart,
      exception: {
        kind: 'move',
        occurrenceStart,
        start: occurrenceStart,
        end: occurrenceStart + 4 * HOUR,
        personId: ben,
        sourceIds: [other],
      },
    });
    const standIn = await ok<MyShift>(bens, 'myShift');
    expect(standIn.onShift).toBe(true);
    expect(standIn.sources).toEqual([{ id: other, name: 'Rival Two' }]);
    expect(standIn.channels).toEqual([{ id: channelId, name: 'News' }]);
    const range = await running.call('shiftsRange', {
      from: occurrenceStart - 3 * 24 * HOUR,
      to: occurrenceStart + 2 * 24 * HOUR,
    });
    const ofSeries = range.shifts.filter((s) => s.seriesId === seriesId);
    expect(ofSeries.find((s) => s.occurrenceStart === occurrenceStart)?.personId).toBe(ben);
    expect(ofSeries.filter((s) => s.personId === anna).length).toBeGreaterThanOrEqual(3);
    await running.call('shiftSeriesDelete', { id: seriesId });
  });

  it('keeps named report templates and a history of builds, managers only', async () => {
    const mira = await running.connect(await running.signIn('mira', PASSWORD));
    const editor = await running.connect(await running.signIn('anna', PASSWORD));
    const refused = await editor.call('reportTemplatesList', {});
    expect(refused.ok).toBe(false);

    const saved = await ok<ReportTemplate>(mira, 'reportTemplateSave', {
      name: 'Weekly team',
      periodDays: 7,
      format: 'xlsx',
      personIds: [anna],
    });
    expect(saved).toMatchObject({ name: 'Weekly team', periodDays: 7, sourceIds: null });
    const clash = await mira.call('reportTemplateSave', {
      name: 'weekly TEAM',
      periodDays: 1,
      format: 'csv',
    });
    expect(clash.ok).toBe(false);
    expect(
      (await ok<{ templates: ReportTemplate[] }>(mira, 'reportTemplatesList')).templates,
    ).toHaveLength(1);

    const to = Math.floor(Date.now() / 60_000) * 60_000;
    await ok(mira, 'reportBuild', { from: to - 24 * HOUR, to, format: 'csv', title: 'Day' });
    const bad = await mira.call('reportBuild', { from: to, to: to - 1, format: 'csv' });
    expect(bad.ok).toBe(false);
    const { runs } = await ok<{ runs: ReportRun[] }>(mira, 'reportHistory');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ title: 'Day', format: 'csv', state: 'done', byName: 'MIRA' });
    expect(runs[0]!.bytes).toBeGreaterThan(0);

    await ok(mira, 'reportTemplateDelete', { id: saved.id });
    expect(
      (await ok<{ templates: ReportTemplate[] }>(mira, 'reportTemplatesList')).templates,
    ).toEqual([]);
  });
});
