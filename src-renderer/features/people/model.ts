import { DateTime } from 'luxon';
import {
  methodNames,
  type AuditEntry,
  type AuditFilter,
  type Person,
  type Role,
  type Scope,
  type SessionInfo,
} from '../../../src-shared/contract';
import { readOnlyMethods } from '../../../src-shared/contract/permissions';

/**
 * The pure side of the People, Audit and My-account screens: what a form means as a request,
 * what an event means for a list. Kept free of React so it is tested without a browser.
 */

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  operator: 'Operator',
  scheduler: 'Scheduler',
  librarian: 'Librarian',
  editor: 'Editor',
  viewer: 'Viewer',
  manager: 'Manager',
};

export const roleHints: Record<Role, string> = {
  admin: 'Everything, including people, settings and the audit log.',
  operator: 'Runs channels on air, acknowledges alarms, edits the wall.',
  scheduler: 'Edits schedules.',
  librarian: 'Imports and organises the library.',
  editor: 'Reviews and reads the station.',
  viewer: 'Reads the station.',
  manager: 'Plans shifts, reads desk statistics and makes reports.',
};

/** Roles whose rights can be limited to chosen channels (see permissions.ts). */
export const channelScopedRoles: ReadonlySet<Role> = new Set(['operator', 'scheduler', 'editor']);

/** The scope a person form asks for: channel limits only where the role has channel rights. */
export function scopeFromForm(
  role: Role,
  allChannels: boolean,
  chosen: readonly number[],
  previous?: Scope,
): Scope {
  // Sources are not edited here: keep what the person had.
  const sources = previous?.sources ?? null;
  if (!channelScopedRoles.has(role) || allChannels) return { channels: null, sources };
  return { channels: [...new Set(chosen)].sort((a, b) => a - b), sources };
}

/** "All channels", "No channels" or the chosen channels' names, for the people table. */
export function scopeLabel(
  person: Pick<Person, 'role' | 'scope'>,
  channelNames: ReadonlyMap<number, string>,
): string {
  if (!channelScopedRoles.has(person.role)) return '—';
  const ids = person.scope.channels;
  if (ids === null) return 'All channels';
  if (ids.length === 0) return 'No channels';
  return ids.map((id) => channelNames.get(id) ?? `Channel ${id}`).join(', ');
}

/** "Chrome 126 on Linux": enough to tell one's own sessions apart, never the whole string. */
export function describeUserAgent(userAgent: string): string {
  if (!userAgent) return 'Unknown';
  const browser =
    matchVersion(userAgent, /Electron\/(\d+)/, 'Airdeck desktop') ??
    matchVersion(userAgent, /Edg\/(\d+)/, 'Edge') ??
    matchVersion(userAgent, /Firefox\/(\d+)/, 'Firefox') ??
    matchVersion(userAgent, /(?:Chrome|Chromium)\/(\d+)/, 'Chrome') ??
    matchVersion(userAgent, /Version\/(\d+)[^ ]* Safari/, 'Safari') ??
    null;
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (!browser) return userAgent.slice(0, 60);
  return os ? `${browser} on ${os}` : browser;
}

function matchVersion(userAgent: string, pattern: RegExp, name: string): string | null {
  const match = pattern.exec(userAgent);
  return match ? `${name} ${match[1]}` : null;
}

export function transportLabel(session: Pick<SessionInfo, 'transport'>): string {
  return session.transport === 'desktop' ? 'Desktop' : 'Browser';
}

// ---------------------------------------------------------------------------------------------
// Audit log filters

export type AuditResult = AuditEntry['result'];
export const auditResults: readonly AuditResult[] = ['ok', 'denied', 'failed'];

/** What the filter bar holds: strings straight from its controls. */
export type AuditFilterForm = {
  personId: string;
  action: string;
  result: '' | AuditResult;
  text: string;
  /** `YYYY-MM-DDTHH:mm` from a datetime-local control, read in the station's time zone. */
  from: string;
  to: string;
};

export const emptyAuditFilterForm: AuditFilterForm = {
  personId: '',
  action: '',
  result: '',
  text: '',
  from: '',
  to: '',
};

/**
 * A wall-clock time of the station's zone as an instant. A time that does not exist (the hour
 * the clocks skip) moves forward with the clocks; an ambiguous one (the repeated hour) is its
 * first occurrence. Null when the text is not a time.
 */
export function stationLocalToMs(value: string, timeZone: string): number | null {
  if (!value) return null;
  const parsed = DateTime.fromISO(value, { zone: timeZone });
  return parsed.isValid ? parsed.toMillis() : null;
}

/** The datetime-local text of an instant in the station's zone (to fill a control). */
export function msToStationLocal(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export type AuditFilterResult = {
  filter: AuditFilter;
  /** Per control: why it was left out of the request. */
  errors: Partial<Record<'from' | 'to', string>>;
};

/**
 * The request's filter from the bar. "To" names a minute and includes it (the core's `to` is
 * exclusive, so it is the start of the next minute); empty controls filter nothing.
 */
export function auditFilterFromForm(form: AuditFilterForm, timeZone: string): AuditFilterResult {
  const filter: AuditFilter = {};
  const errors: AuditFilterResult['errors'] = {};
  const personId = Number(form.personId);
  if (form.personId && Number.isInteger(personId) && personId > 0) filter.personId = personId;
  if (form.action) filter.action = form.action;
  if (form.result) filter.result = form.result;
  const text = form.text.trim().slice(0, 200);
  if (text) filter.text = text;
  const from = stationLocalToMs(form.from, timeZone);
  if (form.from && from === null) errors.from = 'Not a time.';
  else if (from !== null) filter.from = from;
  const to = stationLocalToMs(form.to, timeZone);
  if (form.to && to === null) errors.to = 'Not a time.';
  else if (to !== null) filter.to = to + 60_000;
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from) {
    errors.to = 'Ends before it starts.';
    delete filter.to;
  }
  return { filter, errors };
}

/** Whether a new entry belongs in a list shown with this filter (the core's rules, mirrored). */
export function auditEntryMatches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.personId !== undefined && entry.personId !== filter.personId) return false;
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.result && entry.result !== filter.result) return false;
  if (filter.from !== undefined && entry.at < filter.from) return false;
  if (filter.to !== undefined && entry.at >= filter.to) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    const hay = [entry.target, entry.detail, entry.personName];
    if (!hay.some((value) => value.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/**
 * The actions the log can hold: every method that changes something (each call is recorded
 * under its name) and the sign-in events the people service records itself.
 */
export const auditActions: readonly string[] = [
  ...new Set([
    'authSetup',
    'authSignIn',
    'authSignOut',
    ...methodNames.filter((name) => !readOnlyMethods.has(name)),
  ]),
].sort((a, b) => a.localeCompare(b));

export type AuditPage = { entries: AuditEntry[]; nextBefore: number | null };

/** The pages after `auditAppended`: on top of the first page when it matches, once. */
export function prependAuditEntry(
  pages: readonly AuditPage[],
  filter: AuditFilter,
  entry: AuditEntry,
): AuditPage[] | null {
  const first = pages[0];
  if (!first || !auditEntryMatches(entry, filter)) return null;
  if (pages.some((page) => page.entries.some((e) => e.id === entry.id))) return null;
  return [{ ...first, entries: [entry, ...first.entries] }, ...pages.slice(1)];
}

/** "2026-03-29 02:30:15" in the station's zone: log times read the same in every window. */
export function formatStationDateTime(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss');
}
