import { describe, expect, it } from 'vitest';
import {
  buildLoudnessPassArgs,
  normalisationGainDb,
  parseEbur128Summary,
} from '../../src-main/core/ingest/loudness';

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

describe('buildLoudnessPassArgs', () => {
  const filter = (args: string[]) => args[args.indexOf('-af') + 1];

  it('measures both passes on the same stereo downmix of the first audio stream', () => {
    for (const pass of ['integrated', 'true-peak'] as const) {
      const args = buildLoudnessPassArgs('/in/a b.mp4', pass);
      expect(args.slice(0, 4)).toEqual(['-i', '/in/a b.mp4', '-map', '0:a:0']);
      expect(filter(args)).toMatch(/^aformat=channel_layouts=stereo,ebur128=/);
      expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
    }
  });

  it('oversamples for the true peak only in the true-peak pass', () => {
    expect(filter(buildLoudnessPassArgs('/a.mp4', 'true-peak'))).toContain('peak=true');
    expect(filter(buildLoudnessPassArgs('/a.mp4', 'integrated'))).not.toContain('peak=');
  });
});
