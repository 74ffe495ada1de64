import { describe, expect, it } from 'vitest';
import { reportFileName } from '../../src-main/core/reports/report-targets';
import { nextRunAfter, periodBefore } from '../../src-main/core/reports/schedule-times';
import { wallToInstant } from '../../src-shared/timeline/zone';

const ZONE = 'Europe/Berlin';
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));
const iso = (ms: number) => new Date(ms).toISOString();

describe('scheduled report times', () => {
  const daily = { frequency: 'daily' as const, weekday: null, time: '06:00' };

  it('keeps the wall-clock time across both DST changes', () => {
    // 29 March 2026: clocks go from 02:00 to 03:00; 25 October: from 03:00 back to 02:00.
    expect(iso(nextRunAfter(daily, ZONE, at('2026-03-28T06:00')))).toBe('2026-03-29T04:00:00.000Z');
    expect(iso(nextRunAfter(daily, ZONE, at('2026-10-24T06:00')))).toBe('2026-10-25T05:00:00.000Z');
  });

  it('moves a time inside the spring gap to just after it', () => {
    const inGap = { ...daily, time: '02:30' };
    expect(iso(nextRunAfter(inGap, ZONE, at('2026-03-28T12:00')))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('runs strictly after the given instant, on the named weekday', () => {
    expect(nextRunAfter(daily, ZONE, at('2026-11-02T06:00'))).toBe(at('2026-11-03T06:00'));
    expect(nextRunAfter(daily, ZONE, at('2026-11-02T05:59'))).toBe(at('2026-11-02T06:00'));
    const friday = { frequency: 'weekly' as const, weekday: 5, time: '18:30' };
    // Monday 2 November → Friday 6 November; Friday after 18:30 → the next Friday.
    expect(nextRunAfter(friday, ZONE, at('2026-11-02T00:00'))).toBe(at('2026-11-06T18:30'));
    expect(nextRunAfter(friday, ZONE, at('2026-11-06T18:30'))).toBe(at('2026-11-13T18:30'));
  });

  it('covers whole station days before the run, 23 or 25 hours long', () => {
    const p = periodBefore(at('2026-10-26T06:00'), ZONE, 1);
    expect([p.from, p.to]).toEqual([at('2026-10-25T00:00'), at('2026-10-26T00:00')]);
    expect(p.to - p.from).toBe(25 * 3_600_000);
  });

  it('makes a plain file name from any template name', () => {
    const t = at('2026-11-02T06:00');
    expect(reportFileName('../../etc/passwd', t, ZONE, 'pdf')).toBe(
      'etc-passwd-2026-11-02T060000.pdf',
    );
    expect(reportFileName('Früh  Schicht', t, ZONE, 'docx')).toBe(
      'Fruh-Schicht-2026-11-02T060000.docx',
    );
    expect(reportFileName('…', t, ZONE, 'csv')).toBe('report-2026-11-02T060000.csv');
  });
});
