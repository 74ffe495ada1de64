// Scheduled reports on a real core whose clock the test moves: a daily schedule writes its file
// into a folder and a weekly one into a real S3 protocol server (s3rver), each run lands in the
// history; a failing target is recorded with its message; hostile folders are refused (as
// written, and through a link swapped in after saving); runs missed while the core was stopped
// run once on the next start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRun, ReportSchedule } from '../../src-shared/contract';
import { wallToInstant } from '../../src-shared/timeline/zone';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { makeTempDir } from '../helpers/temp-dir';

const ZONE = 'Europe/Berlin';
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));

describe('scheduled reports', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let outside: ReturnType<typeof makeTempDir>;
  let s3: TestS3;
  let running: ServedCore;
  // The core's clock: the test moves it; the core's own ticker looks at it every second.
  let now = at('2026-11-02T05:30');
  const clock = { now: () => now };
  let reportsDir: string;
  let daily: ReportSchedule;
  let weekly: ReportSchedule;

  const start = async () => {
    running = await startServedCore(dir.path, { core: { clock } });
    running.core.stats.setNotesSource(({ from, to }) =>
      [
        { at: at('2026-11-01T10:00'), personId: 1, sourceId: null, text: 'Sunday: logo late' },
      ].filter((n) => n.at >= from && n.at < to),
    );
  };
  const history = async () => (await running.call('reportHistory', {})).runs;
  const finishedRuns = async (scheduleId: number) =>
    (await history()).filter((r) => r.scheduleId === scheduleId && r.state !== 'building');
  const callError = async (method: 'reportScheduleSave', params: unknown) => {
    const result = await running.core.dispatch(method, params);
    if (result.ok) throw new Error(`${method} should have failed`);
    return result.error;
  };

  beforeAll(async () => {
    dir = makeTempDir();
    outside = makeTempDir('airdeck-outside-');
    s3 = await startTestS3('station-reports');
    await start();
    await running.call('settingsSet', { timeZone: ZONE });
    reportsDir = join(dir.path, 'data', 'reports');
  });
  afterAll(async () => {
    await running?.close();
    await s3?.stop();
    dir?.remove();
    outside?.remove();
  });

  it('runs a daily schedule into a folder and a weekly one into S3 when their time comes', async () => {
    const morning = await running.call('reportTemplateSave', {
      name: 'Morning desk',
      periodDays: 1,
      format: 'xlsx',
      title: 'Yesterday at the desk',
    });
    const week = await running.call('reportTemplateSave', {
      name: 'Week/../../etc',
      periodDays: 7,
      format: 'docx',
    });
    const location = await running.call('storageLocationsAdd', {
      name: 'Archive',
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      prefix: 'airdeck/',
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    daily = await running.call('reportScheduleSave', {
      templateId: morning.id,
      frequency: 'daily',
      time: '06:00',
      target: { kind: 'folder', folder: join(reportsDir, 'daily') },
    });
    weekly = await running.call('reportScheduleSave', {
      templateId: week.id,
      frequency: 'weekly',
      weekday: 1,
      time: '06:00',
      target: { kind: 'storage', locationId: location.id, prefix: 'weekly' },
    });
    // 06:00 in Berlin on Monday 2 November (CET, UTC+1).
    expect(new Date(daily.nextRunAt!).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(weekly.nextRunAt).toBe(daily.nextRunAt);
    expect(await finishedRuns(daily.id)).toEqual([]);

    now = at('2026-11-02T06:00') + 500;
    const [dailyRun] = await waitFor('the daily run', async () => {
      const runs = await finishedRuns(daily.id);
      return runs.length > 0 && runs;
    });
    expect(dailyRun).toMatchObject({ state: 'done', error: null, byName: 'Schedule' });
    // Yesterday, as whole station days.
    expect([dailyRun!.from, dailyRun!.to]).toEqual([
      at('2026-11-01T00:00'),
      at('2026-11-02T00:00'),
    ]);
    const file = dailyRun!.target!;
    expect(file).toBe(join(reportsDir, 'daily', 'Morning-desk-2026-11-02T060000.xlsx'));
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(dailyRun!.bytes);
    // Written under a temporary name and renamed: nothing else is left in the folder.
    expect(readdirSync(join(reportsDir, 'daily'))).toEqual(['Morning-desk-2026-11-02T060000.xlsx']);
    const strings = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml']).toString('utf8');
    expect(strings).toContain('Sunday: logo late');
    expect(dailyRun!.title).toBe('Yesterday at the desk');
    const properties = execFileSync('unzip', ['-p', file, 'docProps/core.xml']).toString('utf8');
    expect(properties).toContain('Yesterday at the desk');

    const [weeklyRun] = await waitFor('the weekly run', async () => {
      const runs = await finishedRuns(weekly.id);
      return runs.length > 0 && runs;
    });
    expect(weeklyRun).toMatchObject({ state: 'done', error: null });
    // The template's name cannot lead anywhere: it is reduced to a plain file name.
    const key = 'airdeck/weekly/Week-.-.-etc-2026-11-02T060000.docx';
    expect(weeklyRun!.target).toBe(`s3://${s3.bucket}/${key}`);
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'airdeck/' }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    expect(body.length).toBe(weeklyRun!.bytes);
    expect(body.subarray(0, 2).toString()).toBe('PK');

    // Planned again for the next slot, from the wall clock in the station's zone.
    const schedules = (await running.call('reportSchedulesList', {})).schedules;
    const next = (id: number) => schedules.find((s) => s.id === id)!.nextRunAt;
    expect(next(daily.id)).toBe(at('2026-11-03T06:00'));
    expect(next(weekly.id)).toBe(at('2026-11-09T06:00'));
  });

  it('keeps a failed run in the history with its message', async () => {
    const gone = await running.call('storageLocationsAdd', {
      name: 'Gone',
      endpoint: s3.endpoint,
      bucket: 'no-such-bucket',
      pathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const broken = await running.call('reportScheduleSave', {
      templateId: daily.templateId,
      frequency: 'daily',
      time: '23:00',
      target: { kind: 'storage', locationId: gone.id, prefix: '' },
    });
    const { runId } = await running.call('reportScheduleRunNow', { id: broken.id });
    const run = await waitFor('the failed run', async () =>
      (await history()).find((r) => r.id === runId && r.state === 'failed'),
    );
    expect(run.error).toMatch(/^Storage location "Gone": not found/);
    expect(run.scheduleId).toBe(broken.id);
    await running.call('reportScheduleDelete', { id: broken.id });
  });

  it('refuses folders outside the allowed ones, as written and through a link', async () => {
    const refused = [
      '/etc',
      join(reportsDir, '..', '..', 'escape'),
      'relative/folder',
      outside.path,
    ];
    for (const folder of refused) {
      const error = await callError('reportScheduleSave', {
        templateId: daily.templateId,
        frequency: 'daily',
        time: '07:00',
        target: { kind: 'folder', folder },
      });
      expect(error.code, folder).toBe('path_not_allowed');
    }
    // A link inside the reports folder that leads out of it.
    symlinkSync(outside.path, join(reportsDir, 'link-out'));
    const viaLink = await callError('reportScheduleSave', {
      templateId: daily.templateId,
      frequency: 'daily',
      time: '07:00',
      target: { kind: 'folder', folder: join(reportsDir, 'link-out') },
    });
    expect(viaLink.message).toMatch(/leads outside the allowed folders/);

    // Saved while a plain folder, swapped for a link before the run: the run refuses it.
    const swapped = join(reportsDir, 'swapped');
    mkdirSync(swapped);
    const schedule = await running.call('reportScheduleSave', {
      templateId: daily.templateId,
      frequency: 'daily',
      time: '07:00',
      target: { kind: 'folder', folder: swapped },
    });
    rmSync(swapped, { recursive: true });
    symlinkSync(outside.path, swapped);
    const { runId } = await running.call('reportScheduleRunNow', { id: schedule.id });
    const run = await waitFor('the refused run', async () =>
      (await history()).find((r) => r.id === runId && r.state !== 'building'),
    );
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/leads outside the allowed folders/);
    expect(readdirSync(outside.path)).toEqual([]);
    await running.call('reportScheduleDelete', { id: schedule.id });
  });

  it('runs what came due while stopped once on start, then plans from now', async () => {
    const before = (await history()).filter((r) => r.scheduleId === daily.id).length;
    await running.close();
    // Three daily slots (3, 4, 5 November at 06:00) pass while the core is stopped.
    now = at('2026-11-05T09:00');
    await start();
    const runs = await waitFor('the catch-up run', async () => {
      const mine = (await history()).filter((r: ReportRun) => r.scheduleId === daily.id);
      return mine.length > before && mine.every((r) => r.state !== 'building') && mine;
    });
    expect(runs).toHaveLength(before + 1);
    expect(runs[0]).toMatchObject({ state: 'done', from: at('2026-11-04T00:00') });
    expect(existsSync(join(reportsDir, 'daily', 'Morning-desk-2026-11-05T090000.xlsx'))).toBe(true);
    const schedules = (await running.call('reportSchedulesList', {})).schedules;
    expect(schedules.find((s) => s.id === daily.id)!.nextRunAt).toBe(at('2026-11-06T06:00'));
    // The weekly one was not due (next Monday): it did not run again.
    expect((await history()).filter((r) => r.scheduleId === weekly.id)).toHaveLength(1);
  });
});
