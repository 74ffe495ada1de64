import { describe, expect, it } from 'vitest';
import { normalisationGainDb, parseEbur128Summary } from '../../src-main/core/ingest/loudness';

const summary = [
  '[Parsed_ebur128_1 @ 0x559ec9ce6980] Summary:',
  '  Integrated loudness:',
  '    I:         -21.1 LUFS',
  '    Threshold: -31.1 LUFS',
  '  Loudness range:',
  '    LRA:         0.0 LU',
  '  True peak:',
  '    Peak:      -20.1 dBFS',
];

describe('parseEbur128Summary', () => {
  it('reads integrated loudness and true peak', () => {
    expect(parseEbur128Summary(summary)).toEqual({ integratedLufs: -21.1, truePeakDbtp: -20.1 });
  });

  it('returns null without a summary', () => {
    expect(parseEbur128Summary(['size=N/A time=00:00:01.00'])).toBeNull();
  });

  it('reads silence as -inf', () => {
    const silent = summary.map((l) =>
      l.replace('-21.1 LUFS', '-inf LUFS').replace('-20.1', '-inf'),
    );
    expect(parseEbur128Summary(silent)?.integratedLufs).toBe(-Infinity);
  });
});

describe('normalisationGainDb', () => {
  it('brings the programme to the target', () => {
    expect(normalisationGainDb({ integratedLufs: -21.1, truePeakDbtp: -20.1 }, -23)).toBe(-1.9);
    expect(normalisationGainDb({ integratedLufs: -30, truePeakDbtp: -12 }, -23)).toBe(7);
  });

  it('stops short of pushing true peaks over -1 dBTP', () => {
    expect(normalisationGainDb({ integratedLufs: -30, truePeakDbtp: -3 }, -23)).toBe(2);
  });

  it('leaves silence and unknown loudness alone', () => {
    expect(normalisationGainDb({ integratedLufs: -Infinity, truePeakDbtp: null }, -23)).toBe(0);
    expect(normalisationGainDb({ integratedLufs: -70, truePeakDbtp: null }, -23)).toBe(0);
    expect(normalisationGainDb(null, -23)).toBe(0);
  });
});
