import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import type { Person } from '../../../src-shared/contract';
import {
  minutesOf,
  seriesFromBuckets,
  totalsFromBuckets,
  type PersonTotals,
  type SourceTotals,
} from '../../../src-shared/stats/team-totals';
import { DataTable, EmptyState, Field, type ColumnDef } from '../../ui';
import { TimeChart, type ChartSeries } from '../../ui/TimeChart';
import { usePeople } from '../people/queries';
import { useSettings } from '../settings/queries';
import { useRecordedSources } from '../shifts/queries';
import { useStatsBuckets } from './queries';
import './team.css';

const PERIODS = [1, 7, 14, 30] as const;
const EMPTY_PEOPLE: Person[] = [];
const QUARTER_HOUR = 15 * 60_000;

/** Minute statistics of the team: who was signed in and active, what got reviewed, planned vs present. */
export function TeamScreen() {
  const zone = useSettings().data?.timeZone ?? null;
  if (!zone) return <div className="team-screen muted">Loading station settings…</div>;
  return <TeamScreenIn zone={zone} />;
}

function TeamScreenIn({ zone }: { zone: string }) {
  const [day, setDay] = useState(() => DateTime.now().setZone(zone).toISODate() ?? '');
  const [days, setDays] = useState<number>(1);
  const { from, to, edges } = useMemo(() => {
    const start = DateTime.fromISO(day, { zone }).startOf('day');
    const safe = start.isValid ? start : DateTime.now().setZone(zone).startOf('day');
    const end = safe.plus({ days });
    const cuts: number[] = [];
    if (days === 1)
      for (let t = safe.toMillis(); t <= end.toMillis(); t += QUARTER_HOUR) cuts.push(t);
    else for (let d = 0; d <= days; d++) cuts.push(safe.plus({ days: d }).toMillis());
    return { from: safe.toMillis(), to: end.toMillis(), edges: cuts };
  }, [day, days, zone]);

  // Summed on the server per bucket: 30 people over 30 days are ~900 rows, not 500,000 minutes.
  const stats = useStatsBuckets(edges);
  const people = usePeople().data ?? EMPTY_PEOPLE;
  const sources = useRecordedSources().data;
  const name = useMemo(() => new Map(people.map((p) => [p.id, p.displayName])), [people]);
  const sourceName = useMemo(() => new Map((sources ?? []).map((s) => [s.id, s.name])), [sources]);

  const { people: totals, sources: perSource } = useMemo(
    () =>
      stats.data
        ? totalsFromBuckets(stats.data, from, to)
        : { people: [] as PersonTotals[], sources: [] as SourceTotals[] },
    [stats.data, from, to],
  );
  const x = useMemo(() => edges.slice(0, -1), [edges]);
  // The three charts come from the same buckets: one pass when the figures or names change.
  const { active, signedIn, reviewed } = useMemo(() => {
    const chart = (rows: Map<number, number[]>, label: (id: number) => string): ChartSeries[] =>
      [...rows.entries()].map(([id, values]) => ({
        label: label(id),
        values: values.map(minutesOf),
      }));
    const people = stats.data?.people ?? [];
    const personLabel = (id: number) => name.get(id) ?? `Person ${id}`;
    const perPerson = (value: (r: (typeof people)[number]) => number) =>
      chart(
        seriesFromBuckets(people, x.length, (r) => r.personId, value),
        personLabel,
      );
    return {
      active: perPerson((r) => r.activeMs),
      signedIn: perPerson((r) => r.signedInMs),
      reviewed: chart(
        seriesFromBuckets(
          stats.data?.sources ?? [],
          x.length,
          (r) => r.sourceId,
          (r) => r.reviewedMs,
        ),
        (id) => sourceName.get(id) ?? `Source ${id}`,
      ),
    };
  }, [stats.data, x, name, sourceName]);

  const personColumns = useMemo<ColumnDef<PersonTotals, unknown>[]>(
    () => [
      {
        id: 'person',
        header: 'Person',
        accessorFn: (t) => name.get(t.personId) ?? `Person ${t.personId}`,
      },
      figure('planned', 'Planned (min)', (t) => t.plannedMs),
      figure('present', 'In shift (min)', (t) => t.presentInShiftMs),
      figure('signedIn', 'Signed in (min)', (t) => t.signedInMs),
      figure('active', 'Active (min)', (t) => t.activeMs),
      count('notes', 'Notes', (t) => t.notes),
      count('characters', 'Characters', (t) => t.characters),
      count('screenshots', 'Screenshots', (t) => t.screenshots),
      count('clips', 'Clips', (t) => t.clips),
    ],
    [name],
  );
  const sourceColumns = useMemo<ColumnDef<SourceTotals, unknown>[]>(
    () => [
      {
        id: 'source',
        header: 'Source',
        accessorFn: (t) => sourceName.get(t.sourceId) ?? `Source ${t.sourceId}`,
      },
      {
        id: 'reviewed',
        header: 'Reviewed (min)',
        accessorFn: (t) => minutesOf(t.reviewedMs),
        cell: ({ row, getValue }) => (
          <span data-testid={`team-source-${row.original.sourceId}-reviewed`}>
            {String(getValue())}
          </span>
        ),
      },
      {
        id: 'coverage',
        header: 'Coverage',
        accessorFn: (t) => t.coverage,
        cell: ({ row }) => `${(row.original.coverage * 100).toFixed(1)} %`,
      },
    ],
    [sourceName],
  );

  const sum = (pick: (t: PersonTotals) => number) => totals.reduce((a, t) => a + pick(t), 0);

  return (
    <div className="team-screen" data-testid="team-screen">
      <div className="team-toolbar">
        <h2 className="team-h2 team-heading">Team statistics</h2>
        <Field label="From (station date)">
          <input
            type="date"
            value={day}
            onChange={(e) => setDay(e.target.value)}
            data-testid="team-day"
          />
        </Field>
        <Field label="Period">
          <select
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            data-testid="team-days"
          >
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? 'One day (15-minute steps)' : `${d} days (per day)`}
              </option>
            ))}
          </select>
        </Field>
        <p className="muted team-live" aria-live="polite">
          {stats.isFetching ? 'Updating…' : `Live · ${zone}`}
        </p>
      </div>
      {totals.length === 0 && perSource.length === 0 ? (
        <EmptyState title="No desk activity in this window" testId="team-empty">
          Statistics appear here as people work at the desk.
        </EmptyState>
      ) : (
        <>
          <div className="team-totals" data-testid="team-sums">
            <span>
              Signed in{' '}
              <strong data-testid="team-sum-signedIn">{minutesOf(sum((t) => t.signedInMs))}</strong>{' '}
              min
            </span>
            <span>
              Active{' '}
              <strong data-testid="team-sum-active">{minutesOf(sum((t) => t.activeMs))}</strong> min
            </span>
            <span>
              Notes <strong data-testid="team-sum-notes">{sum((t) => t.notes)}</strong>
            </span>
            <span>
              Planned <strong>{minutesOf(sum((t) => t.plannedMs))}</strong> min
            </span>
          </div>
          <div className="team-charts">
            <TimeChart
              title="Active minutes per person"
              x={x}
              series={active}
              zone={zone}
              unit="min"
              testId="team-chart-active"
            />
            <TimeChart
              title="Signed-in minutes per person"
              x={x}
              series={signedIn}
              zone={zone}
              unit="min"
              testId="team-chart-signed-in"
            />
            <TimeChart
              title="Minutes reviewed per source"
              x={x}
              series={reviewed}
              zone={zone}
              unit="min"
              testId="team-chart-sources"
            />
          </div>
          <h2 className="team-h2">People: planned against present</h2>
          <DataTable
            data={totals}
            columns={personColumns}
            getRowId={(t) => String(t.personId)}
            label="Totals per person"
            testId="team-people"
            virtualizeAbove={60}
          />
          <h2 className="team-h2">Sources</h2>
          <DataTable
            data={perSource}
            columns={sourceColumns}
            getRowId={(t) => String(t.sourceId)}
            label="Totals per source"
            testId="team-sources"
          />
        </>
      )}
    </div>
  );
}

/** A column of minutes, from a figure kept in milliseconds. */
function figure(
  id: string,
  header: string,
  ms: (t: PersonTotals) => number,
): ColumnDef<PersonTotals, unknown> {
  return count(id, header, (t) => minutesOf(ms(t)));
}

function count(
  id: string,
  header: string,
  value: (t: PersonTotals) => number,
): ColumnDef<PersonTotals, unknown> {
  return {
    id,
    header,
    accessorFn: value,
    cell: ({ row, getValue }) => (
      <span data-testid={`team-person-${row.original.personId}-${id}`}>{String(getValue())}</span>
    ),
  };
}
