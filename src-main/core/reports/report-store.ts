// Report templates, their schedules and the history of built reports. All are a handful of
// small records (the history keeps the last 100), so they live as JSON values in the key/value
// `settings` table, which needs no migration for a new key. Records written before a field
// existed read with its default (see the schemas), so an upgrade keeps the history.
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import {
  ReportRunSchema,
  ReportScheduleSchema,
  ReportTemplateSchema,
  type ReportRun,
  type ReportSchedule,
  type ReportTemplate,
} from '../../../src-shared/contract';

const TEMPLATES_KEY = 'reports.templates';
const HISTORY_KEY = 'reports.history';
const SCHEDULES_KEY = 'reports.schedules';
const HISTORY_LIMIT = 100;

export type KeyValue = {
  read<T>(key: string, schema: z.ZodType<T>, fallback: T): T;
  write(key: string, value: unknown): void;
};

export function createKeyValue(db: Database, now: () => number): KeyValue {
  const select = db.prepare<[string], { value: string }>(
    'SELECT value FROM settings WHERE key = ?',
  );
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  return {
    read(key, schema, fallback) {
      const row = select.get(key);
      if (!row) return fallback;
      try {
        const parsed = schema.safeParse(JSON.parse(row.value));
        return parsed.success ? parsed.data : fallback;
      } catch {
        return fallback;
      }
    },
    write(key, value) {
      upsert.run(key, JSON.stringify(value), now());
    },
  };
}

const Templates = z.array(ReportTemplateSchema);
const Runs = z.array(ReportRunSchema);
const Schedules = z.array(ReportScheduleSchema);

export function createReportStore(kv: KeyValue) {
  const templates = () => kv.read(TEMPLATES_KEY, Templates, []);
  const runs = () => kv.read(HISTORY_KEY, Runs, []);
  const schedules = () => kv.read(SCHEDULES_KEY, Schedules, []);
  const nextId = (items: readonly { id: number }[]) =>
    items.reduce((max, item) => Math.max(max, item.id), 0) + 1;
  return {
    templates,
    saveTemplate(fields: Omit<ReportTemplate, 'id'> & { id?: number | undefined }): ReportTemplate {
      const list = templates();
      const id = fields.id ?? nextId(list);
      const saved = { ...fields, id };
      kv.write(
        TEMPLATES_KEY,
        list.some((t) => t.id === id)
          ? list.map((t) => (t.id === id ? saved : t))
          : [...list, saved],
      );
      return saved;
    },
    deleteTemplate(id: number): boolean {
      const list = templates();
      if (!list.some((t) => t.id === id)) return false;
      kv.write(
        TEMPLATES_KEY,
        list.filter((t) => t.id !== id),
      );
      return true;
    },
    runs,
    startRun(
      run: Omit<ReportRun, 'id' | 'finishedAt' | 'state' | 'bytes' | 'error' | 'target'>,
    ): ReportRun {
      const list = runs();
      const started: ReportRun = {
        ...run,
        id: nextId(list),
        finishedAt: null,
        state: 'building',
        bytes: null,
        error: null,
        target: null,
      };
      kv.write(HISTORY_KEY, [started, ...list].slice(0, HISTORY_LIMIT));
      return started;
    },
    finishRun(
      id: number,
      patch: Pick<ReportRun, 'finishedAt' | 'state' | 'bytes' | 'error'> &
        Partial<Pick<ReportRun, 'target'>>,
    ) {
      kv.write(
        HISTORY_KEY,
        runs().map((r) => (r.id === id ? { ...r, ...patch } : r)),
      );
    },
    schedules,
    schedule: (id: number) => schedules().find((s) => s.id === id),
    /** Creates (no id) or replaces a schedule. */
    saveSchedule(fields: Omit<ReportSchedule, 'id'> & { id?: number | undefined }): ReportSchedule {
      const list = schedules();
      const id = fields.id ?? nextId(list);
      const saved = { ...fields, id };
      kv.write(
        SCHEDULES_KEY,
        list.some((s) => s.id === id)
          ? list.map((s) => (s.id === id ? saved : s))
          : [...list, saved],
      );
      return saved;
    },
    patchSchedule(id: number, patch: Partial<Pick<ReportSchedule, 'nextRunAt' | 'lastRunAt'>>) {
      kv.write(
        SCHEDULES_KEY,
        schedules().map((s) => (s.id === id ? { ...s, ...patch } : s)),
      );
    },
    deleteSchedule(id: number): boolean {
      const list = schedules();
      if (!list.some((s) => s.id === id)) return false;
      kv.write(
        SCHEDULES_KEY,
        list.filter((s) => s.id !== id),
      );
      return true;
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
