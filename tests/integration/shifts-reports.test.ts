// Shifts over the contract, and a report opened in a real office suite: the DOCX and XLSX are
// converted by LibreOffice (headless), the PDF read by pdftotext, and the notes and figures
// must come out of them. Both tools are installed by .ci/run; a missing one fails the test.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../src-shared/stats/desk-events';
import { wallToInstant } from '../../src-shared/timeline/zone';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const ZONE = 'Europe/Berlin';
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));
const HOUR = 3_600_000;

describe('shift planning and reports on a real core', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let running: ServedCore;
  let anna: number;
  let ben: number;

  beforeAll(async () => {
    dir = makeTempDir();
    running = await startServedCore(dir.path);
    await running.call('settingsSet', { timeZone: ZONE });
    const person = async (username: string, displayName: string, role: 'manager' | 'editor') =>
      (
        await running.call('personCreate', {
          username,
          displayName,
          role,
          password: 'a-long-enough-password',
        })
      ).id;
    await person('mira', 'Mira Manager', 'manager');
    anna = await person('anna', 'Anna Ärger', 'editor');
    ben = await person('ben', 'Ben Bauer', 'editor');
  });
  afterAll(async () => {
    await running?.close();
    dir?.remove();
  });

  const must = async (pending: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const result = await pending;
    if (!result.ok) throw new Error(result.error?.message);
    return result;
  };

  it('lets a manager plan a series across the DST change and shows its conflicts live', async () => {
    const mira = await running.connect(await running.signIn('mira', 'a-long-enough-password'));
    const watcher = await running.connect();
    const changed = watcher.waitForFrame((f) => JSON.stringify(f).includes('shiftsChanged'));
    const created = await must(
      mira.call('shiftSeriesCreate', {
        personId: anna,
        rrule: 'FREQ=DAILY',
        startDate: '2026-10-23',
        startTime: '06:00',
        durationMinutes: 480,
        kind: 'early',
      }),
    );
    const seriesId = (created as unknown as { result: { id: number } }).result.id;
    await changed;
    await must(
      mira.call('shiftCreate', {
        personId: anna,
        start: at('2026-10-24T20:00'),
        end: at('2026-10-24T23:00'),
      }),
    );
    await must(
      mira.call('timeOffCreate', {
        personId: anna,
        start: at('2026-10-26T00:00'),
        end: at('2026-10-27T00:00'),
        reason: 'doctor',
      }),
    );
    await must(
      mira.call('shiftSeriesException', {
        seriesId,
        occurrenceStart: at('2026-10-26T06:00'),
        exception: { kind: 'skip', occurrenceStart: at('2026-10-26T06:00') },
      }),
    );
    const editor = await running.connect(await running.signIn('ben', 'a-long-enough-password'));
    const refused = await editor.call('shiftDelete', { id: 1 });
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');

    const result = await mira.call('shiftsRange', {
      from: at('2026-10-23T00:00'),
      to: at('2026-10-27T00:00'),
    });
    if (!result.ok) throw new Error(result.error.message);
    const { shifts, conflicts } = result.result as {
      shifts: { start: number; end: number; kind: string }[];
      conflicts: { kind: string; start: number; end: number }[];
    };
    // 23, 24, 25 October at 06:00 local (CEST, CEST, CET); the 26th was skipped.
    expect(
      shifts.filter((s) => s.kind === 'early').map((s) => new Date(s.start).toISOString()),
    ).toEqual(['2026-10-23T04:00:00.000Z', '2026-10-24T04:00:00.000Z', '2026-10-25T05:00:00.000Z']);
    // 23:00 to 06:00 is seven hours, less than the default eleven; 14:00 to 20:00 is six.
    expect(conflicts.map((c) => [c.kind, (c.end - c.start) / HOUR])).toEqual([
      ['short_rest', 6],
      ['short_rest', 8],
    ]);
    for (const c of [mira, watcher, editor]) c.close();
  });

  it('writes a report that LibreOffice and pdftotext read back with its notes and sums', async () => {
    const s = (personId: number, local: string, body: Record<string, unknown>) =>
      ({ personId, deskSession: `d${personId}`, at: at(local), ...body }) as DeskEvent;
    const log: DeskEvent[] = [
      s(anna, '2026-10-23T09:00', { type: 'sessionStart' }),
      s(anna, '2026-10-23T09:00', { type: 'input' }),
      s(anna, '2026-10-23T09:01', { type: 'noteCreated', sourceId: null, characters: 30 }),
      s(anna, '2026-10-23T09:10', { type: 'sessionEnd' }),
      s(ben, '2026-10-23T10:00', { type: 'sessionStart' }),
      s(ben, '2026-10-23T10:00', { type: 'playbackStart', sourceId: 3, speed: 4 }),
      s(ben, '2026-10-23T10:05', { type: 'sessionEnd' }),
    ];
    const from = at('2026-10-23T00:00');
    const to = at('2026-10-24T00:00');
    running.core.stats.record(log, from, to);
    running.core.stats.setNotesSource(() => [
      {
        at: at('2026-10-23T09:01'),
        personId: anna,
        sourceId: null,
        text: 'Ticker misspelt Größenwahn at 09:01',
      },
    ]);

    const files: Record<string, string> = {};
    for (const format of ['docx', 'xlsx', 'pdf', 'csv'] as const) {
      const report = await running.call('reportBuild', { from, to, format, title: 'Week 43 desk' });
      files[format] = join(dir.path, report.fileName);
      writeFileSync(files[format], Buffer.from(report.base64, 'base64'));
    }

    // Anna: 10 min signed in, 1 active (one input, 60 s idle cutoff), 1 note of 30 characters.
    // Ben: 5 min signed in and active, all of it at 4×. Totals: 15, 6, 1, 30.
    const csv = readFileSync(files.csv!, 'utf8');
    expect(csv.trim().split('\n')).toEqual([
      'Day,Person,Signed in (min),Active (min),Notes,Characters,Screenshots,Clips',
      '2026-10-23,Anna Ärger,10,1,1,30,0,0',
      '2026-10-23,Ben Bauer,5,5,0,0,0,0',
    ]);

    const out = join(dir.path, 'converted');
    const profile = `file://${join(dir.path, 'lo-profile')}`;
    const soffice = (args: string[]) =>
      execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', ...args], {
        timeout: 90_000,
        stdio: 'pipe',
      });
    soffice(['--convert-to', 'pdf', '--outdir', out, files.docx!]);
    // Every sheet to its own CSV (filter token 12 = -1), with the formulas' values.
    soffice([
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
      '--outdir',
      out,
      files.xlsx!,
    ]);
    const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');

    const docxText = text(
      join(
        out,
        readdirSync(out).find((f) => f.endsWith('.pdf'))!,
      ),
    );
    expect(docxText).toContain('Week 43 desk');
    // Table cells wrap in the page: compare with runs of white space made one.
    const docxFlat = docxText.replace(/\s+/g, ' ');
    expect(docxFlat).toContain('Ticker misspelt Größenwahn at 09:01');
    expect(docxFlat).toMatch(/Anna 10 1 1 30 0 0 0 0 0 0 0 Ärger/);
    expect(docxFlat).toMatch(/Total 15 6 1 30 0 0 0 0 5 0 0/);

    const sheets = readdirSync(out).filter((f) => f.endsWith('.csv'));
    const sheet = (name: string) =>
      readFileSync(
        join(
          out,
          sheets.find((f) => f.includes(name))!,
        ),
        'utf8',
      );
    expect(sheet('Notes')).toContain('Ticker misspelt Größenwahn at 09:01');
    const people = sheet('People').trim().split('\n');
    // The total row is a SUM formula that LibreOffice evaluated: numbers were stored as numbers.
    expect(people.at(-1)).toMatch(/^Total,15,6,1,30,0,0,0,0,5,0,0$/);
    expect(sheet('Sources')).toContain('Source 3,5');

    const pdfText = text(files.pdf!);
    expect(pdfText.replace(/\s+/g, ' ')).toContain('Ticker misspelt Größenwahn at 09:01');
    expect(pdfText).toMatch(/Total\s+15\s+6\s+1\s+30/);
  });
});
