// The minute tables as stored (migration 0013): one integer row per person-minute and
// source-minute; playback speeds in five band columns.
import type { Database } from 'better-sqlite3';
import type { PersonMinute, Response, SourceMinute } from '../../../src-shared/contract';
import { speedBands } from '../../../src-shared/stats/desk-events';

type PersonRow = {
  person_id: number;
  minute: number;
  signed_in_ms: number;
  active_ms: number;
  sources_open: number;
  play_1x_ms: number;
  play_2x_ms: number;
  play_4x_ms: number;
  play_8x_ms: number;
  play_16x_ms: number;
  notes: number;
  characters: number;
  screenshots: number;
  clips: number;
};
const bandColumn = (band: number) => `play_${band}x_ms` as keyof PersonRow;

export type StatsBuckets = Omit<Response<'statsBuckets'>, 'presence'>;

export function createStatsStore(db: Database) {
  const insertPerson = db.prepare(
    `INSERT OR REPLACE INTO person_minutes VALUES (@person_id, @minute, @signed_in_ms, @active_ms,
       @sources_open, @play_1x_ms, @play_2x_ms, @play_4x_ms, @play_8x_ms, @play_16x_ms, @notes,
       @characters, @screenshots, @clips)`,
  );
  const insertSource = db.prepare<[number, number, number]>(
    'INSERT OR REPLACE INTO source_minutes VALUES (?, ?, ?)',
  );
  const clearPeople = db.prepare<[number, number]>(
    'DELETE FROM person_minutes WHERE minute >= ? AND minute < ?',
  );
  const clearSources = db.prepare<[number, number]>(
    'DELETE FROM source_minutes WHERE minute >= ? AND minute < ?',
  );
  const peopleIn = db.prepare<[number, number], PersonRow>(
    'SELECT * FROM person_minutes WHERE minute >= ? AND minute < ? ORDER BY person_id, minute',
  );
  const sourcesIn = db.prepare<
    [number, number],
    { source_id: number; minute: number; reviewed_ms: number }
  >('SELECT * FROM source_minutes WHERE minute >= ? AND minute < ? ORDER BY source_id, minute');
  const purgePeople = db.prepare<[number]>('DELETE FROM person_minutes WHERE minute < ?');
  const purgeSources = db.prepare<[number]>('DELETE FROM source_minutes WHERE minute < ?');

  /** Replaces everything stored for [from, to) with a freshly aggregated table: idempotent. */
  const replaceWindow = db.transaction(
    (from: number, to: number, people: PersonMinute[], sources: SourceMinute[]) => {
      clearPeople.run(from, to);
      clearSources.run(from, to);
      for (const p of people) {
        if (p.minute < from || p.minute >= to) continue;
        const row: Record<string, number> = {
          person_id: p.personId,
          minute: p.minute,
          signed_in_ms: p.signedInMs,
          active_ms: p.activeMs,
          sources_open: p.sourcesOpen,
          notes: p.notes,
          characters: p.characters,
          screenshots: p.screenshots,
          clips: p.clips,
        };
        for (const band of speedBands) row[bandColumn(band)] = p.speedMs[String(band)] ?? 0;
        insertPerson.run(row);
      }
      for (const s of sources)
        if (s.minute >= from && s.minute < to) insertSource.run(s.sourceId, s.minute, s.reviewedMs);
    },
  );

  const peopleSums = db.prepare<
    [number, number],
    {
      person_id: number;
      signed_in_ms: number;
      active_ms: number;
      notes: number;
      characters: number;
      screenshots: number;
      clips: number;
    }
  >(
    `SELECT person_id, SUM(signed_in_ms) AS signed_in_ms, SUM(active_ms) AS active_ms,
       SUM(notes) AS notes, SUM(characters) AS characters, SUM(screenshots) AS screenshots,
       SUM(clips) AS clips
     FROM person_minutes WHERE minute >= ? AND minute < ? GROUP BY person_id`,
  );
  const sourceSums = db.prepare<
    [number, number],
    { source_id: number; reviewed_ms: number; covered: number }
  >(
    `SELECT source_id, SUM(reviewed_ms) AS reviewed_ms, SUM(reviewed_ms > 0) AS covered
     FROM source_minutes WHERE minute >= ? AND minute < ? GROUP BY source_id`,
  );
  const signedInOf = db.prepare<[number, number, number], { ms: number | null }>(
    'SELECT SUM(signed_in_ms) AS ms FROM person_minutes WHERE person_id = ? AND minute >= ? AND minute < ?',
  );

  return {
    replaceWindow,
    /** Sums per person and per source for each bucket [edges[i], edges[i + 1]). */
    buckets(edges: readonly number[]): StatsBuckets {
      const people: StatsBuckets['people'] = [];
      const sources: StatsBuckets['sources'] = [];
      for (let bucket = 0; bucket + 1 < edges.length; bucket++) {
        const from = edges[bucket]!;
        const to = edges[bucket + 1]!;
        for (const r of peopleSums.all(from, to))
          people.push({
            personId: r.person_id,
            bucket,
            signedInMs: r.signed_in_ms,
            activeMs: r.active_ms,
            notes: r.notes,
            characters: r.characters,
            screenshots: r.screenshots,
            clips: r.clips,
          });
        for (const r of sourceSums.all(from, to))
          sources.push({
            sourceId: r.source_id,
            bucket,
            reviewedMs: r.reviewed_ms,
            coveredMinutes: r.covered,
          });
      }
      return { people, sources };
    },
    /** A person's signed-in time within [from, to) (a shift, for planned against present). */
    signedIn: (personId: number, from: number, to: number) =>
      signedInOf.get(personId, from, to)?.ms ?? 0,
    people(from: number, to: number, personIds: readonly number[] | null): PersonMinute[] {
      const only = personIds ? new Set(personIds) : null;
      return peopleIn
        .all(from, to)
        .filter((r) => !only || only.has(r.person_id))
        .map((r) => {
          const speedMs: Record<string, number> = {};
          for (const band of speedBands) {
            const ms = r[bandColumn(band)];
            if (ms > 0) speedMs[String(band)] = ms;
          }
          return {
            personId: r.person_id,
            minute: r.minute,
            signedInMs: r.signed_in_ms,
            activeMs: r.active_ms,
            sourcesOpen: r.sources_open,
            speedMs,
            notes: r.notes,
            characters: r.characters,
            screenshots: r.screenshots,
            clips: r.clips,
          };
        });
    },
    sources(from: number, to: number): SourceMinute[] {
      return sourcesIn
        .all(from, to)
        .map((r) => ({ sourceId: r.source_id, minute: r.minute, reviewedMs: r.reviewed_ms }));
    },
    /** Drops rows older than `before`; returns how many went. */
    purge(before: number): number {
      return purgePeople.run(before).changes + purgeSources.run(before).changes;
    },
  };
}
export type StatsStore = ReturnType<typeof createStatsStore>;
