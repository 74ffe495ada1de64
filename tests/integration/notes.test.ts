// Notes on recordings through a real served core over WebSocket, as the review desk uses them:
// templates with required fields and pick lists, notes with a screenshot of a real recording
// attached, ownership and source scopes, full-text search, history, retention holds; and the
// desk statistics feed rolled up into the minute tables.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CallResult,
  Note,
  NoteTemplate,
  PersonMinute,
  ReviewJob,
  SourceMinute,
} from '../../src-shared/contract';
import { DESK_EVENTS_MAX } from '../../src-shared/contract';
import { startLiveHlsSource, type LiveHlsSource } from '../helpers/live-hls-source';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { connectWs, signIn } from '../helpers/sign-in';
import { makeTempDir } from '../helpers/temp-dir';
import type { TestWsClient } from '../helpers/ws-client';

const PASSWORD = 'a-long-enough-password';
const MINUTE = 60_000;

describe('notes on recordings and the desk statistics feed', () => {
  const dir = makeTempDir();
  let source: LiveHlsSource;
  let served: ServedCore;
  let admin: TestWsClient;
  let alice: TestWsClient; // editor
  let bob: TestWsClient; // editor
  let carol: TestWsClient; // editor limited to the first source
  let dave: TestWsClient; // editors whose desks report statistics
  let erin: TestWsClient;
  const people: Record<string, number> = {};
  let recorded: number; // a recording source
  let other: number; // a second, idle source
  let template: NoteTemplate;
  const sockets: TestWsClient[] = [];

  async function ok<T>(client: TestWsClient, method: string, params: unknown): Promise<T> {
    const result = await client.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as T;
  }
  const refused = async (client: TestWsClient, method: string, params: unknown) => {
    const result = await client.call(method, params);
    expect(result.ok, `${method} should be refused`).toBe(false);
    return (result as Extract<CallResult<unknown>, { ok: false }>).error as {
      code: string;
      message: string;
      fields?: { path: string; message: string }[];
    };
  };
  const socketFor = async (username: string) => {
    const client = await connectWs(
      served.server.url,
      await signIn(served.server.url, username, PASSWORD),
    );
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    source = await startLiveHlsSource(dir.path);
    served = await startServedCore(dir.path, {
      core: { notes: { rollupIntervalMs: 200, deskSessionTimeoutMs: 1500 } },
    });
    admin = await served.connect();
    sockets.push(admin);
    recorded = (await served.call('recorderSourceAdd', { name: 'Outside', url: source.url('a') }))
      .id;
    other = (
      await served.call('recorderSourceAdd', {
        name: 'Idle',
        url: source.url('b'),
        enabled: false,
      })
    ).id;
    for (const [username, scope] of [
      ['alice', null],
      ['bob', null],
      ['carol', [recorded]],
      ['dave', null],
      ['erin', null],
    ] as const) {
      const person = await ok<{ id: number }>(admin, 'personCreate', {
        username,
        displayName: username[0]!.toUpperCase() + username.slice(1),
        password: PASSWORD,
        role: 'editor',
        scope: { channels: null, sources: scope },
      });
      people[username] = person.id;
    }
    alice = await socketFor('alice');
    bob = await socketFor('bob');
    carol = await socketFor('carol');
    dave = await socketFor('dave');
    erin = await socketFor('erin');
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await served?.close();
    await source?.stop();
    dir.remove();
  });

  it('keeps templates with required fields and pick lists, and refuses bad ones field by field', async () => {
    const bad = await refused(admin, 'noteTemplateSave', {
      name: 'Broken',
      fields: [{ key: 'brand', label: 'Brand', kind: 'pick' }],
    });
    expect(bad.code).toBe('invalid_request');
    expect(bad.fields).toContainEqual({
      path: 'fields.0.options',
      message: 'a pick list needs options',
    });
    // Templates are the station's settings: an editor may read them, not write them.
    expect((await refused(alice, 'noteTemplateSave', { name: 'Mine', fields: [] })).code).toBe(
      'forbidden',
    );

    template = await ok<NoteTemplate>(admin, 'noteTemplateSave', {
      name: 'Advertising',
      fields: [
        { key: 'brand', label: 'Brand', kind: 'text', required: true },
        { key: 'category', label: 'Category', kind: 'pick', options: ['Food', 'Cars', 'Banks'] },
        { key: 'tags', label: 'Tags', kind: 'multiPick', options: ['loud', 'misleading', 'kids'] },
        { key: 'seconds', label: 'Length', kind: 'number' },
        { key: 'remark', label: 'Remark', kind: 'longText', hint: 'What was wrong' },
      ],
    });
    expect(template).toMatchObject({ active: true, archived: false, notes: 0 });
    const listed = await ok<{ templates: NoteTemplate[] }>(alice, 'noteTemplatesList', {});
    expect(listed.templates.map((t) => t.name)).toEqual(['Advertising']);

    const wrong = await refused(alice, 'notesCreate', {
      sourceId: recorded,
      at: Date.now(),
      templateId: template.id,
      fields: { category: 'Toys', tags: ['loud', 'boring'], seconds: 'ten', extra: 'x' },
    });
    expect(wrong.code).toBe('invalid_request');
    expect(wrong.fields?.map((f) => f.path).sort()).toEqual([
      'fields.brand',
      'fields.category',
      'fields.extra',
      'fields.seconds',
      'fields.tags',
    ]);
    expect(wrong.fields?.find((f) => f.path === 'fields.brand')?.message).toBe('Brand is required');
    // Nothing was stored.
    expect((await ok<{ notes: Note[] }>(alice, 'notesList', {})).notes).toEqual([]);
  });

  let note: Note;
  let shot: ReviewJob;

  it('writes a templated note with a screenshot attached, and another window sees it at once', async () => {
    const at = await waitFor('a few seconds recorded', async () => {
      const s = (await served.call('recorderSourcesList', {})).sources.find(
        (x) => x.id === recorded,
      )!;
      return s.segments >= 4 && s.lastAt! - 1500;
    });
    shot = await ok<ReviewJob>(alice, 'reviewScreenshot', { sourceId: recorded, at });
    expect(shot.personId).toBe(people.alice);
    const foreign = await refused(alice, 'notesCreate', {
      sourceId: other,
      at,
      jobIds: [shot.id],
    });
    expect(foreign.fields).toEqual([
      { path: 'jobIds.0', message: `job ${shot.id} is of another source` },
    ]);

    note = await ok<Note>(alice, 'notesCreate', {
      sourceId: recorded,
      at,
      templateId: template.id,
      fields: { brand: 'Sunny Soap', category: 'food', tags: ['kids', 'loud'], seconds: 30 },
      text: 'Jingle far louder than the programme around it',
      jobIds: [shot.id],
      // The author comes from the session; a payload cannot name one.
    });
    expect(note).toMatchObject({
      kind: 'note',
      authorId: people.alice,
      authorName: 'Alice',
      revision: 1,
      jobIds: [shot.id],
      fields: { brand: 'Sunny Soap', category: 'Food', tags: ['loud', 'kids'], seconds: 30 },
    });
    const seen = await bob.waitForFrame(
      (f) =>
        f.event === 'noteChanged' &&
        (f.data as { note: Note }).note.id === note.id &&
        (f.data as { action: string }).action === 'created',
    );
    expect((seen.data as { note: Note }).note).toEqual(note);
    expect(
      (await refused(alice, 'notesCreate', { sourceId: recorded, at, authorId: people.bob })).code,
    ).toBe('invalid_request');
  });

  it('lets editors change only their own notes, and admins anyone’s', async () => {
    const denied = await refused(bob, 'notesUpdate', { id: note.id, text: 'mine now' });
    expect(denied.code).toBe('forbidden');
    expect((await refused(bob, 'notesDelete', { id: note.id })).code).toBe('forbidden');
    const mine = await ok<Note>(alice, 'notesUpdate', {
      id: note.id,
      revision: 1,
      text: 'Jingle far louder than the programme; reported to the sales desk',
    });
    expect(mine.revision).toBe(2);
    // An edit from a stale copy is refused rather than lost.
    expect(
      (await refused(alice, 'notesUpdate', { id: note.id, revision: 1, text: 'x' })).code,
    ).toBe('conflict');
    const byAdmin = await ok<Note>(admin, 'notesUpdate', {
      id: note.id,
      fields: { ...mine.fields, remark: 'Checked against the loudness log' },
    });
    expect(byAdmin).toMatchObject({ revision: 3, authorId: people.alice });
    note = byAdmin;
  });

  it('keeps an editor limited to one source away from the notes of others', async () => {
    const elsewhere = await ok<Note>(bob, 'notesCreate', {
      sourceId: other,
      at: 5_000,
      kind: 'marker',
      text: 'Station ident missing',
    });
    expect(elsewhere.kind).toBe('marker');
    expect((await refused(carol, 'notesCreate', { sourceId: other, at: 1 })).code).toBe(
      'forbidden',
    );
    expect((await refused(carol, 'notesList', { sourceId: other })).code).toBe('forbidden');
    expect((await refused(carol, 'noteHistory', { id: elsewhere.id })).code).toBe('forbidden');
    expect((await refused(carol, 'notesUpdate', { id: elsewhere.id, text: 'x' })).code).toBe(
      'forbidden',
    );
    const visible = await ok<{ notes: Note[] }>(carol, 'notesList', {});
    expect(visible.notes.map((n) => n.id)).toEqual([note.id]);
    const everything = await ok<{ notes: Note[] }>(alice, 'notesList', {});
    expect(everything.notes.map((n) => n.id).sort()).toEqual([note.id, elsewhere.id].sort());
    const found = await ok<{ hits: unknown[] }>(carol, 'notesSearch', { query: 'ident' });
    expect(found.hits).toEqual([]);
    const sources = await ok<{ sources: { id: number }[] }>(carol, 'recorderSourcesList', {});
    expect(sources.sources.map((x) => x.id)).toEqual([recorded]);
    const jobs = await ok<{ jobs: ReviewJob[] }>(carol, 'reviewJobsList', {});
    expect(jobs.jobs.every((j) => j.sourceId === recorded)).toBe(true);
    expect((await refused(carol, 'reviewScreenshot', { sourceId: other, at: 1 })).code).toBe(
      'forbidden',
    );
    // Over HTTP too: another source's recording and files are refused.
    const cookie = await signIn(served.server.url, 'carol', PASSWORD);
    const get = (path: string) =>
      fetch(new URL(path, served.server.url), { headers: { cookie } }).then((r) => r.status);
    const window = `from=${note.at - 5000}&to=${note.at + 5000}`;
    expect(await get(`/recordings/${other}/vod.m3u8?${window}`)).toBe(403);
    expect(await get(`/recordings/${recorded}/vod.m3u8?${window}`)).toBe(200);
    // Her own source works as for anyone.
    const hers = await ok<Note>(carol, 'notesCreate', { sourceId: recorded, at: note.at + 1 });
    await ok(carol, 'notesDelete', { id: hers.id });
    // Events come in order on a socket: hers arrived, the earlier one on the other source did not.
    await carol.waitForFrame(
      (f) => f.event === 'noteChanged' && (f.data as { note: Note }).note.id === hers.id,
    );
    const carolSaw = carol.frames
      .filter((f) => f.event === 'noteChanged')
      .map((f) => (f.data as { note: Note }).note.sourceId);
    expect(carolSaw).not.toContain(other);
    expect(
      bob.frames.some(
        (f) => f.event === 'noteChanged' && (f.data as { note: Note }).note.id === elsewhere.id,
      ),
    ).toBe(true);
  });

  it('finds notes by words of their fields and text, best match first, with a snippet', async () => {
    const second = await ok<Note>(bob, 'notesCreate', {
      sourceId: recorded,
      at: note.at - 10_000,
      templateId: template.id,
      fields: { brand: 'Rainy Bank', category: 'Banks' },
      text: 'A soap opera trailer ran over the bank advert',
    });
    const bySoap = await ok<{ hits: { note: Note; snippet: string; rank: number }[] }>(
      alice,
      'notesSearch',
      { query: 'soap' },
    );
    // One has the word in a field, the other in its text; best (lowest bm25) first.
    expect(bySoap.hits.map((h) => h.note.id).sort()).toEqual([note.id, second.id].sort());
    expect(bySoap.hits[0]!.rank).toBeLessThanOrEqual(bySoap.hits[1]!.rank);
    const snippets = Object.fromEntries(bySoap.hits.map((h) => [h.note.id, h.snippet]));
    expect(snippets[note.id]).toContain('Sunny [Soap]');
    expect(snippets[second.id]).toContain('A [soap] opera');
    // Every word is needed, prefixes match.
    const opera = await ok<{ hits: { note: Note }[] }>(alice, 'notesSearch', {
      query: 'soap oper',
    });
    expect(opera.hits.map((h) => h.note.id)).toEqual([second.id]);
    const byPick = await ok<{ hits: { note: Note; snippet: string }[] }>(alice, 'notesSearch', {
      query: 'banks rainy',
    });
    expect(byPick.hits.map((h) => h.note.id)).toEqual([second.id]);
    const byText = await ok<{ hits: { note: Note; snippet: string }[] }>(alice, 'notesSearch', {
      query: 'sales desk',
    });
    expect(byText.hits.map((h) => h.note.id)).toEqual([note.id]);
    expect(byText.hits[0]!.snippet).toMatch(/\[sales\] \[desk\]/);
    const byWord = await ok<{ hits: unknown[] }>(alice, 'notesSearch', { query: '"; DROP' });
    expect(byWord.hits).toEqual([]);
    await ok(bob, 'notesDelete', { id: second.id });
    expect((await ok<{ hits: unknown[] }>(alice, 'notesSearch', { query: 'rainy' })).hits).toEqual(
      [],
    );
  });

  it('lists every revision with who made it and what changed', async () => {
    const { revisions } = await ok<{
      revisions: {
        revision: number;
        action: string;
        personName: string;
        changes: { field: string; before: unknown; after: unknown }[];
      }[];
    }>(bob, 'noteHistory', { id: note.id });
    expect(revisions.map((r) => [r.revision, r.action])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'updated'],
    ]);
    expect(revisions.map((r) => r.personName)).toEqual(['Alice', 'Alice', expect.any(String)]);
    expect(revisions[2]!.personName).not.toBe('Alice');
    expect(revisions[1]!.changes).toEqual([
      {
        field: 'text',
        before: 'Jingle far louder than the programme around it',
        after: 'Jingle far louder than the programme; reported to the sales desk',
      },
    ]);
    expect(revisions[2]!.changes).toEqual([
      { field: 'fields.remark', before: null, after: 'Checked against the loudness log' },
    ]);
  });

  it('keeps a note’s range from a retention pass that purges the rest, until it is deleted', async () => {
    await served.call('recorderSourceUpdate', { id: recorded, enabled: false });
    const db = served.core.context.db;
    const segments = () =>
      db
        .prepare<[number], { id: number; start_at: number; duration_ms: number }>(
          'SELECT id, start_at, duration_ms FROM recording_segments WHERE source_id = ? ORDER BY start_at',
        )
        .all(recorded);
    const all = segments();
    // A second note over one early segment only, away from the first note and its screenshot.
    const early = all[0]!;
    const ranged = await ok<Note>(alice, 'notesCreate', {
      sourceId: recorded,
      at: early.start_at + 100,
      inAt: early.start_at + 100,
      outAt: early.start_at + 200,
      text: 'Watermark missing',
    });
    const covering = (at: number) =>
      all.find((s) => s.start_at <= at && at < s.start_at + s.duration_ms)!.id;
    await served.call('recorderSourceUpdate', { id: recorded, diskCapBytes: 1 });
    await served.core.recorder.enforceRetention();
    const kept = segments().map((s) => s.id);
    expect(kept).toContain(early.id);
    expect(kept).toContain(covering(note.at));
    expect(kept.length).toBeLessThan(all.length);

    await ok(alice, 'notesDelete', { id: ranged.id });
    await served.core.recorder.enforceRetention();
    const after = segments().map((s) => s.id);
    expect(after).not.toContain(early.id);
    expect(after).toContain(covering(note.at));
  });

  describe('the desk statistics feed', () => {
    /** Rows of one person, without the empty speed map noise. */
    const rowsOf = (rows: PersonMinute[], personId: number) =>
      rows.filter((r) => r.personId === personId);

    it('rolls two people’s desk events up into the minute table, with notes counted by the server', async () => {
      const base = Math.floor((Date.now() - 8 * MINUTE) / MINUTE) * MINUTE;
      admin.frames.length = 0;
      expect(
        await ok(dave, 'deskEventsReport', {
          deskSession: 'dave-desk',
          events: [
            { type: 'sessionStart', at: base },
            { type: 'input', at: base + 5_000 },
            { type: 'sessionEnd', at: base + 90_000 },
          ],
        }),
      ).toEqual({ accepted: 3 });
      await ok(erin, 'deskEventsReport', {
        deskSession: 'erin-desk',
        events: [
          { type: 'sessionStart', at: base + 30_000 },
          { type: 'sourceOpen', at: base + 30_000, sourceId: recorded },
          { type: 'playbackStart', at: base + 30_000, sourceId: recorded, speed: 4 },
        ],
      });
      // Reported in two parts, as a desk does every few seconds.
      await ok(erin, 'deskEventsReport', {
        deskSession: 'erin-desk',
        events: [
          { type: 'playbackStop', at: base + 60_000, sourceId: recorded },
          { type: 'sourceClose', at: base + 100_000, sourceId: recorded },
          { type: 'sessionEnd', at: base + 120_000 },
        ],
      });
      const text = 'Presenter mispronounced the sponsor';
      const counted = await ok<Note>(dave, 'notesCreate', {
        sourceId: recorded,
        at: note.at,
        templateId: template.id,
        fields: { brand: 'Acme', category: 'Cars' },
        text,
      });

      const table = await waitFor('the minutes rolled up', async () => {
        const t = await ok<{ people: PersonMinute[]; sources: SourceMinute[] }>(
          admin,
          'statsMinutes',
          { from: base, to: Date.now() + MINUTE, personIds: [people.dave!, people.erin!] },
        );
        return rowsOf(t.people, people.dave!).some((r) => r.notes > 0) && t;
      });
      expect(rowsOf(table.people, people.dave!)).toEqual([
        expect.objectContaining({ minute: base, signedInMs: 60_000, activeMs: 55_000, notes: 0 }),
        expect.objectContaining({ minute: base + MINUTE, signedInMs: 30_000, activeMs: 5_000 }),
        expect.objectContaining({
          minute: Math.floor(counted.createdAt / MINUTE) * MINUTE,
          notes: 1,
          characters: text.length + 'Acme'.length,
          signedInMs: 0,
        }),
      ]);
      expect(rowsOf(table.people, people.erin!)).toEqual([
        {
          personId: people.erin,
          minute: base,
          signedInMs: 30_000,
          activeMs: 30_000,
          sourcesOpen: 1,
          speedMs: { '4': 30_000 },
          notes: 0,
          characters: 0,
          screenshots: 0,
          clips: 0,
        },
        expect.objectContaining({
          minute: base + MINUTE,
          signedInMs: 60_000,
          activeMs: 0,
          sourcesOpen: 1,
        }),
      ]);
      expect(table.sources.filter((s) => s.minute >= base && s.minute < base + 2 * MINUTE)).toEqual(
        [{ sourceId: recorded, minute: base, reviewedMs: 30_000 }],
      );
      // The earlier screenshot was counted for Alice when it was queued.
      const earlier = await ok<{ people: PersonMinute[] }>(admin, 'statsMinutes', {
        from: Math.floor(shot.createdAt / MINUTE) * MINUTE,
        to: Math.floor(shot.createdAt / MINUTE) * MINUTE + MINUTE,
        personIds: [people.alice!],
      });
      expect(earlier.people[0]?.screenshots).toBe(1);
      await admin.waitForFrame((f) => f.event === 'statsChanged');
    });

    it('ends the session of a desk that stopped reporting at its last event', async () => {
      const start = Date.now() - 5_000;
      await ok(carol, 'deskEventsReport', {
        deskSession: 'carol-desk',
        events: [
          { type: 'sessionStart', at: start },
          { type: 'input', at: start + 1_000 },
        ],
      });
      const minutes = await waitFor('the silent session ended', async () => {
        const ended = served.core.context.db
          .prepare<[number], { ended_at: number | null }>(
            'SELECT ended_at FROM desk_sessions WHERE person_id = ?',
          )
          .get(people.carol!);
        if (ended?.ended_at == null) return false;
        served.core.notes.flushStats();
        return ok<{ people: PersonMinute[] }>(admin, 'statsMinutes', {
          from: Math.floor(start / MINUTE) * MINUTE - MINUTE,
          to: Math.floor(Date.now() / MINUTE) * MINUTE + 2 * MINUTE,
          personIds: [people.carol!],
        });
      });
      expect(minutes.people.reduce((sum, r) => sum + r.signedInMs, 0)).toBe(1_000);
    });

    it('refuses hostile reports whole', async () => {
      const now = Date.now();
      const many = Array.from({ length: DESK_EVENTS_MAX + 1 }, (_, i) => ({
        type: 'input',
        at: now - 60_000 + i,
      }));
      expect(
        (await refused(bob, 'deskEventsReport', { deskSession: 'x', events: many })).code,
      ).toBe('invalid_request');
      const disorder = await refused(bob, 'deskEventsReport', {
        deskSession: 'x',
        events: [
          { type: 'input', at: now - 1_000 },
          { type: 'input', at: now - 2_000 },
        ],
      });
      expect(disorder.fields).toContainEqual({
        path: 'events.1.at',
        message: 'events must be in time order',
      });
      // Someone else's figures, or counts the server keeps itself, cannot be sent.
      for (const event of [
        { type: 'input', at: now, personId: people.alice },
        { type: 'noteCreated', at: now, sourceId: recorded, characters: 100_000 },
        { type: 'clip', at: now, sourceId: recorded },
      ])
        expect(
          (await refused(bob, 'deskEventsReport', { deskSession: 'x', events: [event] })).code,
        ).toBe('invalid_request');
      expect(
        (
          await refused(bob, 'deskEventsReport', {
            deskSession: 'x',
            personId: people.alice,
            events: [],
          })
        ).code,
      ).toBe('invalid_request');
      for (const at of [now - 60 * MINUTE, now + 10 * MINUTE])
        expect(
          (
            await refused(bob, 'deskEventsReport', {
              deskSession: 'x',
              events: [{ type: 'input', at }],
            })
          ).code,
        ).toBe('invalid_request');
      // Before what this desk session already reported.
      expect(
        (
          await refused(erin, 'deskEventsReport', {
            deskSession: 'erin-desk',
            events: [{ type: 'input', at: now - 14 * MINUTE }],
          })
        ).code,
      ).toBe('invalid_request');
      expect(
        (
          await refused(bob, 'deskEventsReport', {
            deskSession: 'x',
            events: [{ type: 'sourceOpen', at: now, sourceId: 999 }],
          })
        ).code,
      ).toBe('not_found');
      const stored = served.core.context.db
        .prepare<[number], { n: number }>(
          `SELECT COUNT(*) AS n FROM desk_events e JOIN desk_sessions s ON s.id = e.session_id
           WHERE s.person_id = ? AND s.desk_session = 'x'`,
        )
        .get(people.bob!);
      expect(stored?.n ?? 0).toBe(0);
    });
  });

  it('gives reports the real notes: template fields, screenshots and clip links', async () => {
    await waitFor('the screenshot made', () => served.core.recorder.jobFile(shot.id));
    const built = await served.call('reportBuild', {
      title: 'Notes',
      from: note.at - MINUTE,
      to: note.at + MINUTE,
      format: 'xlsx',
      sourceIds: [recorded],
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(built.base64, 'base64') as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.getWorksheet('Notes')!.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    expect(rows[0]).toEqual([
      'Time',
      'Person',
      'Source',
      'Note',
      'Template',
      'Fields',
      'Screenshots',
      'Screenshot',
    ]);
    const row = rows.find((r) => r[3] === note.text)!;
    expect(row[1]).toBe('Alice');
    expect(row[2]).toBe('Outside');
    expect(row[4]).toBe('Advertising');
    expect(row[5]!.split('\n')).toEqual([
      'Brand: Sunny Soap',
      'Category: Food',
      'Tags: loud, kids',
      'Length: 30',
      'Remark: Checked against the loudness log',
    ]);
    expect(row[6]).toBe(served.core.recorder.jobFile(shot.id));
    // The screenshot itself is in the workbook, anchored on the note's row.
    const notesSheet = book.getWorksheet('Notes')!;
    const images = notesSheet.getImages();
    expect(images).toHaveLength(1);
    expect(images[0]!.range.tl.nativeRow).toBe(rows.indexOf(row));
    const media = book.getImage(Number(images[0]!.imageId));
    expect(
      Buffer.from(media.buffer as unknown as Uint8Array).equals(
        readFileSync(served.core.recorder.jobFile(shot.id)!),
      ),
    ).toBe(true);
  });

  it('archives a template notes use instead of deleting it', async () => {
    const spare = await ok<NoteTemplate>(admin, 'noteTemplateSave', { name: 'Spare', fields: [] });
    expect(await ok(admin, 'noteTemplateDelete', { id: spare.id })).toEqual({
      id: spare.id,
      archived: false,
    });
    expect(await ok(admin, 'noteTemplateDelete', { id: template.id })).toEqual({
      id: template.id,
      archived: true,
    });
    expect(
      (await ok<{ templates: NoteTemplate[] }>(alice, 'noteTemplatesList', {})).templates,
    ).toEqual([]);
    const kept = await ok<Note>(alice, 'notesUpdate', { id: note.id, text: 'Still readable' });
    expect(kept.templateId).toBe(template.id);
    expect(
      (
        await refused(alice, 'notesCreate', {
          sourceId: recorded,
          at: 1,
          templateId: template.id,
          fields: { brand: 'x' },
        })
      ).fields,
    ).toEqual([{ path: 'templateId', message: 'the template "Advertising" was deleted' }]);
  });
});
