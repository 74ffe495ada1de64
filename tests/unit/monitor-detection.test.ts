import { describe, expect, it } from 'vitest';
import { ConditionDebouncer } from '../../src-main/core/monitor/condition-debouncer';
import { parseDetectLine } from '../../src-main/core/monitor/detect-lines';
import {
  MONITOR_USER_AGENT,
  buildDetectorArgs,
  detectorFilters,
} from '../../src-main/core/monitor/detector-args';
import { DEFAULT_ALARMS_SETTINGS } from '../../src-main/core/monitor/alarm-settings';

describe('parseDetectLine', () => {
  // Captured from ffmpeg 5.1 reading an HLS stream with the detector's filters.
  it('reads black, freeze and silence edges in stream milliseconds', () => {
    expect(parseDetectLine('[Parsed_metadata_1 @ 0x55] lavfi.black_start=3.02322')).toEqual({
      type: 'start',
      condition: 'black',
      mediaMs: 3023,
    });
    expect(parseDetectLine('[Parsed_metadata_2 @ 0x55] lavfi.black_end=6.06322')).toEqual({
      type: 'end',
      condition: 'black',
      mediaMs: 6063,
    });
    expect(
      parseDetectLine('[freezedetect @ 0x55] lavfi.freezedetect.freeze_start: 9.02322'),
    ).toEqual({ type: 'start', condition: 'freeze', mediaMs: 9023 });
    expect(parseDetectLine('[freezedetect @ 0x55] lavfi.freezedetect.freeze_end: 10.3032')).toEqual(
      { type: 'end', condition: 'freeze', mediaMs: 10303 },
    );
    expect(parseDetectLine('[silencedetect @ 0x55] silence_start: 11.033')).toEqual({
      type: 'start',
      condition: 'silence',
      mediaMs: 11033,
    });
    expect(
      parseDetectLine('[silencedetect @ 0x55] silence_end: 14.0244 | silence_duration: 2.99138'),
    ).toEqual({ type: 'end', condition: 'silence', mediaMs: 14024 });
  });

  it('reads the stream position from progress blocks and printed frames', () => {
    expect(parseDetectLine('out_time_us=18040000')).toEqual({ type: 'clock', mediaMs: 18040 });
    expect(
      parseDetectLine('[Parsed_metadata_1 @ 0x5] frame:75   pts:272090  pts_time:3.02322'),
    ).toEqual({ type: 'clock', mediaMs: 3023 });
  });

  it('ignores everything else, including the summary blackdetect writes at the end', () => {
    for (const line of [
      '',
      'out_time=00:00:18.040000',
      'out_time_us=N/A',
      'progress=continue',
      '[blackdetect @ 0x55] black_start:3.02322 black_end:6.06322 black_duration:3.04',
      '[freezedetect @ 0x55] lavfi.freezedetect.freeze_duration: 3.04',
      "[hls @ 0x55] Opening 'out1.ts' for reading",
      'lavfi.black_start=nan',
    ])
      expect(parseDetectLine(line), line).toBeNull();
  });

  it('never reports a negative position', () => {
    expect(parseDetectLine('[silencedetect @ 0x5] silence_start: -0.0213')).toEqual({
      type: 'start',
      condition: 'silence',
      mediaMs: 0,
    });
  });
});

describe('ConditionDebouncer', () => {
  const delays = { setDelayMs: 2000, clearDelayMs: 1000 };

  it('raises once the condition has held the set delay and clears after the clear delay', () => {
    const d = new ConditionDebouncer(delays);
    expect(d.start(10_000)).toEqual([]);
    expect(d.advance(11_999)).toEqual([]);
    expect(d.advance(12_500)).toEqual([{ type: 'raise', atMs: 12_000 }]);
    expect(d.raised).toBe(true);
    expect(d.end(15_000)).toEqual([]);
    expect(d.raised).toBe(true);
    expect(d.present).toBe(false);
    expect(d.advance(15_999)).toEqual([]);
    expect(d.advance(17_000)).toEqual([{ type: 'clear', atMs: 16_000 }]);
    expect(d.raised).toBe(false);
  });

  it('ignores a blip shorter than the set delay', () => {
    const d = new ConditionDebouncer(delays);
    d.start(1000);
    expect(d.end(2999)).toEqual([]);
    expect(d.advance(60_000)).toEqual([]);
  });

  it('keeps the alarm up through a gap shorter than the clear delay', () => {
    const d = new ConditionDebouncer(delays);
    expect(d.start(0)).toEqual([]);
    expect(d.advance(2000)).toEqual([{ type: 'raise', atMs: 2000 }]);
    d.end(5000);
    expect(d.start(5500)).toEqual([]);
    expect(d.advance(10_000)).toEqual([]);
    expect(d.end(10_000)).toEqual([]);
    expect(d.advance(11_000)).toEqual([{ type: 'clear', atMs: 11_000 }]);
  });

  it('judges a late report by when it happened, however late it arrives', () => {
    // ffmpeg reports a whole black stretch at once: raise and clear come out together.
    const d = new ConditionDebouncer(delays);
    d.advance(20_000);
    expect(d.start(3000)).toEqual([{ type: 'raise', atMs: 5000 }]);
    expect(d.end(8000)).toEqual([{ type: 'clear', atMs: 9000 }]);
    // A restart before the clear delay ran out keeps it up.
    const f = new ConditionDebouncer(delays);
    expect(f.start(0)).toEqual([]);
    expect(f.advance(2000)).toEqual([{ type: 'raise', atMs: 2000 }]);
    f.end(4000);
    expect(f.start(4500)).toEqual([]);
    expect(f.raised).toBe(true);
  });

  it('does not restart the count for a gap shorter than the clear delay', () => {
    // A keyframe refreshing a frozen picture ends and restarts the freeze on the same frame.
    const d = new ConditionDebouncer(delays);
    d.start(13_000);
    expect(d.end(14_000)).toEqual([]);
    expect(d.start(14_000)).toEqual([]);
    expect(d.advance(15_000)).toEqual([{ type: 'raise', atMs: 15_000 }]);
    // Back after the set delay would have run out: up from its return, not before.
    const e = new ConditionDebouncer(delays);
    e.start(0);
    e.end(1500);
    expect(e.start(2200)).toEqual([{ type: 'raise', atMs: 2200 }]);
    // Gone for the clear delay: forgotten, counted afresh.
    const f = new ConditionDebouncer(delays);
    f.start(0);
    f.end(1500);
    expect(f.start(2500)).toEqual([]);
    expect(f.advance(4499)).toEqual([]);
    expect(f.advance(4500)).toEqual([{ type: 'raise', atMs: 4500 }]);
  });

  it('raises at once with no set delay and clears on reset', () => {
    const d = new ConditionDebouncer({ setDelayMs: 0, clearDelayMs: 0 });
    expect(d.start(7)).toEqual([{ type: 'raise', atMs: 7 }]);
    expect(d.reset(9)).toEqual([{ type: 'clear', atMs: 9 }]);
    expect(d.reset(10)).toEqual([]);
  });
});

describe('detector arguments', () => {
  it('reads the stream with every detection filter and reports progress on stderr', () => {
    const args = buildDetectorArgs(
      'http://127.0.0.1:8740/channels/news/proxy.m3u8',
      DEFAULT_ALARMS_SETTINGS,
    );
    expect(args.slice(0, 2)).toEqual(['-progress', 'pipe:2']);
    expect(args).toContain(MONITOR_USER_AGENT);
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
    expect(args[args.indexOf('-i') + 1]).toBe('http://127.0.0.1:8740/channels/news/proxy.m3u8');
    expect(args[args.indexOf('-vf') + 1]).toBe(
      'blackdetect=d=0:pic_th=0.98:pix_th=0.1,metadata=mode=print:key=lavfi.black_start,' +
        'metadata=mode=print:key=lavfi.black_end,freezedetect=n=-60dB:d=2',
    );
    expect(args[args.indexOf('-af') + 1]).toBe('silencedetect=n=-60dB:d=2');
  });

  it('leaves out the filters of disabled kinds', () => {
    const settings = structuredClone(DEFAULT_ALARMS_SETTINGS);
    settings.kinds.black.enabled = false;
    settings.kinds.silence.enabled = false;
    settings.thresholds.detectMinMs = 1500;
    expect(detectorFilters(settings)).toEqual({ video: 'freezedetect=n=-60dB:d=1.5', audio: null });
    settings.kinds.freeze.enabled = false;
    const args = buildDetectorArgs('http://h/x.m3u8', settings);
    expect(args).not.toContain('-vf');
    expect(args).not.toContain('-af');
  });
});
