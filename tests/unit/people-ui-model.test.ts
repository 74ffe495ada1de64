import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-shared/contract';
import {
  auditActions,
  auditEntryMatches,
  auditFilterFromForm,
  describeUserAgent,
  emptyAuditFilterForm,
  formatStationDateTime,
  msToStationLocal,
  prependAuditEntry,
  scopeFromForm,
  scopeLabel,
  stationLocalToMs,
} from '../../src-renderer/features/people/model';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 10,
  at: Date.UTC(2026, 2, 29, 12, 0),
  personId: 2,
  personName: 'Eddie Editor',
  action: 'scheduleAdd',
  target: 'channelId=3',
  result: 'ok',
  detail: '',
  address: '127.0.0.1',
  ...over,
});

describe('the audit filter bar as a request', () => {
  it('sends nothing for an empty bar', () => {
    expect(auditFilterFromForm(emptyAuditFilterForm, 'Europe/Berlin')).toEqual({
      filter: {},
      errors: {},
    });
  });

  it('maps every control, trimming the text', () => {
    const { filter, errors } = auditFilterFromForm(
      {
        personId: '7',
        action: 'personCreate',
        result: 'denied',
        text: '  vera ',
        from: '',
        to: '',
      },
      'UTC',
    );
    expect(errors).toEqual({});
    expect(filter).toEqual({ personId: 7, action: 'personCreate', result: 'denied', text: 'vera' });
  });

  it('reads from/to in the station zone, "to" including its minute', () => {
    const { filter } = auditFilterFromForm(
      { ...emptyAuditFilterForm, from: '2026-07-01T09:00', to: '2026-07-01T10:30' },
      'Europe/Berlin',
    );
    // Berlin is UTC+2 in summer.
    expect(filter.from).toBe(Date.UTC(2026, 6, 1, 7, 0));
    expect(filter.to).toBe(Date.UTC(2026, 6, 1, 8, 31));
  });

  it('moves a time the clocks skip forward with them (DST spring day)', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: it reads as 03:30 CEST = 01:30 UTC.
    expect(stationLocalToMs('2026-03-29T02:30', 'Europe/Berlin')).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    );
  });

  it('refuses a range that ends before it starts, and text that is no time', () => {
    const backwards = auditFilterFromForm(
      { ...emptyAuditFilterForm, from: '2026-07-01T10:00', to: '2026-07-01T09:00' },
      'UTC',
    );
    expect(backwards.errors.to).toMatch(/before/);
    expect(backwards.filter.to).toBeUndefined();
    expect(backwards.filter.from).toBe(Date.UTC(2026, 6, 1, 10));
    const junk = auditFilterFromForm({ ...emptyAuditFilterForm, from: 'yesterday' }, 'UTC');
    expect(junk.errors.from).toBeTruthy();
    expect(junk.filter.from).toBeUndefined();
  });

  it('round-trips a control value through the zone', () => {
    const ms = Date.UTC(2026, 9, 25, 1, 15); // the repeated hour in Berlin
    expect(msToStationLocal(ms, 'Europe/Berlin')).toBe('2026-10-25T02:15');
    expect(formatStationDateTime(ms, 'Europe/Berlin')).toBe('2026-10-25 02:15:00');
  });

  it('lists sign-ins and every changing method as actions, but no read', () => {
    expect(auditActions).toContain('authSignIn');
    expect(auditActions).toContain('personCreate');
    expect(auditActions).not.toContain('peopleList');
    expect(auditActions).not.toContain('auditList');
  });
});

describe('live audit entries', () => {
  it('match a filter by the core’s rules (text in target, detail or name, any case)', () => {
    expect(auditEntryMatches(entry(), {})).toBe(true);
    expect(auditEntryMatches(entry(), { text: 'EDDIE' })).toBe(true);
    expect(auditEntryMatches(entry(), { text: 'channelid=3' })).toBe(true);
    expect(auditEntryMatches(entry(), { text: 'vera' })).toBe(false);
    expect(auditEntryMatches(entry(), { personId: 3 })).toBe(false);
    expect(auditEntryMatches(entry(), { result: 'failed' })).toBe(false);
    expect(auditEntryMatches(entry(), { action: 'scheduleAdd' })).toBe(true);
    const at = entry().at;
    expect(auditEntryMatches(entry(), { from: at, to: at + 1 })).toBe(true);
    expect(auditEntryMatches(entry(), { to: at })).toBe(false);
  });

  it('go on top of the first page once, and only when they match', () => {
    const pages = [
      { entries: [entry({ id: 9 }), entry({ id: 8 })], nextBefore: 8 },
      { entries: [entry({ id: 7 })], nextBefore: null },
    ];
    const next = prependAuditEntry(pages, {}, entry({ id: 11 }));
    expect(next?.[0]?.entries.map((e) => e.id)).toEqual([11, 9, 8]);
    expect(next?.[1]).toBe(pages[1]);
    expect(prependAuditEntry(pages, {}, entry({ id: 9 }))).toBeNull();
    expect(prependAuditEntry(pages, { result: 'denied' }, entry({ id: 11 }))).toBeNull();
    expect(prependAuditEntry([], {}, entry({ id: 11 }))).toBeNull();
  });
});

describe('person form scope', () => {
  it('limits channels only for roles with channel rights', () => {
    expect(scopeFromForm('operator', false, [3, 1, 3])).toEqual({
      channels: [1, 3],
      sources: null,
    });
    expect(scopeFromForm('operator', true, [3])).toEqual({ channels: null, sources: null });
    expect(scopeFromForm('librarian', false, [3])).toEqual({ channels: null, sources: null });
    expect(scopeFromForm('editor', false, [])).toEqual({ channels: [], sources: null });
  });

  it('keeps the sources a person had', () => {
    expect(scopeFromForm('editor', true, [], { channels: [1], sources: [4] })).toEqual({
      channels: null,
      sources: [4],
    });
  });

  it('says which channels in words', () => {
    const names = new Map([[1, 'One']]);
    expect(scopeLabel({ role: 'operator', scope: { channels: null, sources: null } }, names)).toBe(
      'All channels',
    );
    expect(scopeLabel({ role: 'operator', scope: { channels: [], sources: null } }, names)).toBe(
      'No channels',
    );
    expect(scopeLabel({ role: 'editor', scope: { channels: [1, 2], sources: null } }, names)).toBe(
      'One, Channel 2',
    );
    expect(scopeLabel({ role: 'admin', scope: { channels: [1], sources: null } }, names)).toBe('—');
  });
});

describe('sessions', () => {
  it('name a browser and system briefly', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 126 on Linux');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) airdeck/0.1.0 Chrome/140.0.0.0 Electron/45.4.1 Safari/537.36',
      ),
    ).toBe('Airdeck desktop 45 on macOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      ),
    ).toBe('Firefox 128 on Windows');
    expect(describeUserAgent('')).toBe('Unknown');
  });
});
