// What a report says, independent of its file format: the notes of the period and the
// statistics as tables of text and numbers. Every format is written from this one shape.
import type { PersonMinute, SourceMinute } from '../../../src-shared/contract';
import { speedBands } from '../../../src-shared/stats/desk-events';
import { instantToWall } from '../../../src-shared/timeline/zone';

export type ReportNote = {
  at: number;
  personId: number;
  sourceId: number | null;
  text: string;
  /** The author's name as the note keeps it (the account may be gone). */
  personName?: string;
  kind?: 'note' | 'marker';
  /** The template's name, or null for a note without one. */
  template?: string | null;
  /** Template values with their labels, as text. */
  fields?: { label: string; value: string }[];
  /** Files of finished screenshots (shown inline where the format can). */
  screenshots?: string[];
  /** Finished clips: a label and where to fetch them. */
  clips?: { label: string; url: string }[];
};

export type ReportColumn = { header: string; kind: 'text' | 'number' };
export type ReportTable = {
  /** Also the sheet name in XLSX: short, no []:*?/\ characters. */
  name: string;
  columns: ReportColumn[];
  rows: (string | number)[][];
  /** Number columns get a total row (a SUM formula in XLSX). */
  totals: boolean;
  /** Per row, image files shown with it where the format can (the notes' screenshots). */
  rowImages?: string[][];
};
export type ReportData = {
  title: string;
  period: string;
  generated: string;
  tables: ReportTable[];
};

export type ReportInput = {
  title: string;
  zone: string;
  from: number;
  to: number;
  generatedAt: number;
  people: readonly PersonMinute[];
  sources: readonly SourceMinute[];
  notes: readonly ReportNote[];
  personName: (id: number) => string;
  sourceName: (id: number) => string;
};

/** Local "YYYY-MM-DD HH:MM" in the station zone. */
export function localStamp(zone: string, instant: number): string {
  return new Date(instantToWall(zone, instant)).toISOString().slice(0, 16).replace('T', ' ');
}
const localDay = (zone: string, instant: number) => localStamp(zone, instant).slice(0, 10);
/** Minutes with two decimals, as a number (so spreadsheets can sum it). */
const minutes = (ms: number) => Math.round(ms / 600) / 100;

export function buildReportData(input: ReportInput): ReportData {
  const { zone } = input;
  // Columns for template values and attachments only when some note has them, so a report of
  // plain notes keeps its text wide.
  const extras = [
    {
      header: 'Template',
      used: input.notes.some((n) => n.template || n.kind === 'marker'),
      cell: (n: ReportNote) => n.template ?? (n.kind === 'marker' ? 'Marker' : ''),
    },
    {
      header: 'Fields',
      used: input.notes.some((n) => (n.fields ?? []).length > 0),
      cell: (n: ReportNote) => (n.fields ?? []).map((f) => `${f.label}: ${f.value}`).join('\n'),
    },
    {
      header: 'Screenshots',
      used: input.notes.some((n) => (n.screenshots ?? []).length > 0),
      cell: (n: ReportNote) => (n.screenshots ?? []).join('\n'),
    },
    {
      header: 'Clips',
      used: input.notes.some((n) => (n.clips ?? []).length > 0),
      cell: (n: ReportNote) => (n.clips ?? []).map((c) => `${c.label}: ${c.url}`).join('\n'),
    },
  ].filter((e) => e.used);
  const sortedNotes = [...input.notes].sort((a, b) => a.at - b.at);
  const notes: ReportTable = {
    name: 'Notes',
    columns: [
      { header: 'Time', kind: 'text' },
      { header: 'Person', kind: 'text' },
      { header: 'Source', kind: 'text' },
      { header: 'Note', kind: 'text' },
      ...extras.map((e) => ({ header: e.header, kind: 'text' as const })),
    ],
    rows: sortedNotes.map((n) => [
      localStamp(zone, n.at),
      n.personName ?? input.personName(n.personId),
      n.sourceId === null ? '' : input.sourceName(n.sourceId),
      n.text,
      ...extras.map((e) => e.cell(n)),
    ]),
    totals: false,
    rowImages: sortedNotes.map((n) => n.screenshots ?? []),
  };

  type Sum = {
    signedIn: number;
    active: number;
    notes: number;
    characters: number;
    screenshots: number;
    clips: number;
    bands: number[];
  };
  const empty = (): Sum => ({
    signedIn: 0,
    active: 0,
    notes: 0,
    characters: 0,
    screenshots: 0,
    clips: 0,
    bands: speedBands.map(() => 0),
  });
  const add = (s: Sum, r: PersonMinute) => {
    s.signedIn += r.signedInMs;
    s.active += r.activeMs;
    s.notes += r.notes;
    s.characters += r.characters;
    s.screenshots += r.screenshots;
    s.clips += r.clips;
    speedBands.forEach((b, i) => (s.bands[i]! += r.speedMs[String(b)] ?? 0));
  };
  const byPerson = new Map<number, Sum>();
  const byDay = new Map<string, Sum & { personId: number; day: string }>();
  for (const r of input.people) {
    const p = byPerson.get(r.personId) ?? empty();
    add(p, r);
    byPerson.set(r.personId, p);
    const day = localDay(zone, r.minute);
    const key = `${day}|${r.personId}`;
    const d = byDay.get(key) ?? { ...empty(), personId: r.personId, day };
    add(d, r);
    byDay.set(key, d);
  }
  const figureColumns: ReportColumn[] = [
    { header: 'Signed in (min)', kind: 'number' },
    { header: 'Active (min)', kind: 'number' },
    { header: 'Notes', kind: 'number' },
    { header: 'Characters', kind: 'number' },
    { header: 'Screenshots', kind: 'number' },
    { header: 'Clips', kind: 'number' },
  ];
  const figures = (s: Sum) => [
    minutes(s.signedIn),
    minutes(s.active),
    s.notes,
    s.characters,
    s.screenshots,
    s.clips,
  ];
  const people: ReportTable = {
    name: 'People',
    columns: [
      { header: 'Person', kind: 'text' },
      ...figureColumns,
      ...speedBands.map((b): ReportColumn => ({ header: `Playing ≤${b}× (min)`, kind: 'number' })),
    ],
    rows: [...byPerson.entries()]
      .map(([id, s]) => [input.personName(id), ...figures(s), ...s.bands.map(minutes)])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    totals: true,
  };
  const days: ReportTable = {
    name: 'Days',
    columns: [
      { header: 'Day', kind: 'text' },
      { header: 'Person', kind: 'text' },
      ...figureColumns,
    ],
    rows: [...byDay.values()]
      .sort((a, b) => a.day.localeCompare(b.day) || a.personId - b.personId)
      .map((d) => [d.day, input.personName(d.personId), ...figures(d)]),
    totals: true,
  };
  const bySource = new Map<number, number>();
  for (const s of input.sources)
    bySource.set(s.sourceId, (bySource.get(s.sourceId) ?? 0) + s.reviewedMs);
  const sources: ReportTable = {
    name: 'Sources',
    columns: [
      { header: 'Source', kind: 'text' },
      { header: 'Reviewed (min)', kind: 'number' },
    ],
    rows: [...bySource.entries()].map(([id, ms]) => [input.sourceName(id), minutes(ms)]),
    totals: true,
  };

  return {
    title: input.title || 'Desk report',
    period: `${localStamp(zone, input.from)} – ${localStamp(zone, input.to)} (${zone})`,
    generated: localStamp(zone, input.generatedAt),
    tables: [notes, people, days, sources],
  };
}

/** Column sums of a table's number columns (null for text columns). */
export function columnTotals(table: ReportTable): (number | null)[] {
  return table.columns.map((c, i) =>
    c.kind === 'number'
      ? Math.round(table.rows.reduce((sum, row) => sum + Number(row[i] ?? 0), 0) * 100) / 100
      : null,
  );
}
