// One detector per monitored source: a supervised ffmpeg reading the stream with detection
// filters, turned into alarm transitions with set/clear delays.
//
// Black, freeze and silence are judged on the stream's own timeline (what ffmpeg reports),
// so a stream read faster or slower than real time gives the same answers; stalled and
// offline are judged on the wall clock. A restart continues the stream timeline where the
// previous run stopped.
//
// A channel's own stream is stamped with its air time (outputs/segment-restamp), so the input's
// first timestamp says when stream time 0 aired; with `planned`, black, freeze and silence
// where the timeline plans slate are not alarms (see slate-mask).
import type { AlarmsSettings, DetectorState } from '../../../src-shared/contract';
import type { Clock } from '../clock/clock';
import {
  superviseFfmpeg,
  type BackoffOptions,
  type FfmpegProcess,
  type FfmpegRegistry,
  type SupervisedFfmpeg,
} from '../ffmpeg';
import { ConditionDebouncer, type Transition } from './condition-debouncer';
import { unwrapNear, wrap33 } from '../outputs/ts-packet';
import { parseDetectLine, type Condition } from './detect-lines';
import { buildDetectorArgs } from './detector-args';
import { SlateMaskedCondition, type PlannedStretch } from './slate-mask';

export type DetectorKind = Condition | 'stalled' | 'offline';

export type DetectorTransition = {
  kind: DetectorKind;
  type: 'raise' | 'clear';
  /** Stream time (black/freeze/silence, ms since the detector first read the source) or wall time. */
  atMs: number;
  clock: 'stream' | 'wall';
  message: string;
};

export type DetectorStatus = {
  state: DetectorState;
  since: number;
  restarts: number;
  lastError: string | null;
};

/** What the timeline plans at an instant of air: slate or not, and until when. */
export type AirPlan = (airMs: number) => { slate: boolean; endsAt: number } | null;

export type DetectorOptions = {
  url: string;
  /** Registry label (the dashboard counts children by label). */
  label: string;
  binary: string;
  registry: FfmpegRegistry;
  clock: Clock;
  settings: AlarmsSettings;
  onTransition(transition: DetectorTransition): void;
  onStatus?(status: DetectorStatus): void;
  /**
   * For a stream stamped with air time (our channels): black, freeze and silence while the
   * timeline plans slate are not alarms.
   */
  planned?: AirPlan;
  backoff?: Partial<BackoffOptions>;
  /** How often stalled/offline delays are checked (default 250 ms). */
  tickMs?: number;
};

export type Detector = {
  status(): DetectorStatus;
  /** New delays apply at once; new filters restart ffmpeg. */
  applySettings(settings: AlarmsSettings): void;
  /** Ends ffmpeg; alarms still up are cleared. */
  stop(): Promise<void>;
};

const CONDITIONS: readonly Condition[] = ['black', 'freeze', 'silence'];
const MESSAGES: Record<Condition, string> = {
  black: 'Black picture',
  freeze: 'Frozen picture',
  silence: 'Silence',
};
/** MPEG-TS timestamps: 90 kHz. */
const TICKS_PER_MS = 90;
/** Progress block keys and banner noise are not worth quoting as the reason for a failure. */
const PROGRESS_LINE = /^[a-z_0-9]+=\S*$/;

function mediaDelays(settings: AlarmsSettings, condition: Condition) {
  const kind = settings.kinds[condition];
  // ffmpeg reports a freeze or silence once it has lasted detectMinMs; black is reported at
  // once, so the same minimum is added here to treat the three alike.
  return {
    setDelayMs: settings.thresholds.detectMinMs + kind.setDelayMs,
    clearDelayMs: kind.clearDelayMs,
  };
}

function wallDelays(settings: AlarmsSettings, kind: 'stalled' | 'offline') {
  return {
    setDelayMs: settings.kinds[kind].setDelayMs,
    clearDelayMs: settings.kinds[kind].clearDelayMs,
  };
}

export function startDetector(options: DetectorOptions): Detector {
  const { clock } = options;
  let settings = options.settings;
  // Stream timeline: `base` is where the current run's zero sits; `runAir` is when that aired.
  let base = 0;
  let runAir: number | null = null;
  const plan = (streamMs: number): PlannedStretch | null => {
    if (!options.planned || runAir === null) return null;
    const air = runAir + (streamMs - base);
    const stretch = options.planned(air);
    return stretch && { slate: stretch.slate, until: streamMs + (stretch.endsAt - air) };
  };
  const masked = (condition: Condition) =>
    new SlateMaskedCondition(new ConditionDebouncer(mediaDelays(settings, condition)), plan);
  const media = {
    black: masked('black'),
    freeze: masked('freeze'),
    silence: masked('silence'),
  };
  const stalled = new ConditionDebouncer(wallDelays(settings, 'stalled'));
  const offline = new ConditionDebouncer(wallDelays(settings, 'offline'));
  let freezeMasked = false;

  let status: DetectorStatus = {
    state: 'starting',
    since: clock.now(),
    restarts: 0,
    lastError: null,
  };
  let stopped = false;
  let runMax = 0;
  let runActive = false;
  let sawMedia = false;
  let lastMediaWall = clock.now();
  let lastLine: string | null = null;
  let offlineReason = 'The stream cannot be opened';

  const setState = (state: DetectorState, lastError: string | null = status.lastError) => {
    if (state === status.state && lastError === status.lastError) return;
    status = {
      ...status,
      state,
      since: state === status.state ? status.since : clock.now(),
      lastError,
    };
    options.onStatus?.(status);
  };

  const emitMedia = (condition: Condition, transitions: Transition[]) => {
    for (const t of transitions) {
      if (condition === 'freeze') {
        // A black picture is also a still one: a freeze that starts under black is black's.
        if (t.type === 'raise' && (media.black.present || media.black.raised)) {
          freezeMasked = true;
          continue;
        }
        if (t.type === 'clear' && freezeMasked) {
          freezeMasked = false;
          continue;
        }
      }
      options.onTransition({
        kind: condition,
        type: t.type,
        atMs: t.atMs,
        clock: 'stream',
        message: MESSAGES[condition],
      });
    }
  };
  const emitWall = (kind: 'stalled' | 'offline', transitions: Transition[], message: string) => {
    for (const t of transitions)
      options.onTransition({ kind, type: t.type, atMs: t.atMs, clock: 'wall', message });
  };
  const stalledMessage = () =>
    `No new media for ${Math.round(settings.thresholds.stalledAfterMs / 1000)} s`;

  const refreshState = () => {
    if (stopped) return;
    if (offline.present || offline.raised) setState('offline');
    else if (stalled.present || stalled.raised) setState('stalled');
    else if (runActive && sawMedia) setState('running', null);
    else setState('starting');
  };

  const mediaFlows = (streamMs: number) => {
    const now = clock.now();
    lastMediaWall = now;
    if (!sawMedia) {
      sawMedia = true;
      emitWall('offline', offline.end(now), offlineReason);
    }
    if (stalled.present) emitWall('stalled', stalled.end(now), stalledMessage());
    for (const condition of CONDITIONS) emitMedia(condition, media[condition].advance(streamMs));
    refreshState();
  };

  const onLine = (line: string) => {
    if (!runActive) return;
    const parsed = parseDetectLine(line);
    if (!parsed) {
      const trimmed = line.trim();
      if (trimmed !== '' && !PROGRESS_LINE.test(trimmed)) lastLine = trimmed;
      return;
    }
    if (parsed.type === 'origin') {
      if (!options.planned) return;
      // The 33-bit clock wraps every 26.5 hours: the turn nearest now is the one on air.
      const ticks = wrap33(Math.round(parsed.ptsMs * TICKS_PER_MS));
      runAir = unwrapNear(ticks, clock.now() * TICKS_PER_MS) / TICKS_PER_MS;
      for (const condition of CONDITIONS) media[condition].replan();
      return;
    }
    if (parsed.type === 'skipped') {
      // ffmpeg closes the jump in its timestamps: when stream time aired is no longer known,
      // so conditions are judged as usual until the next run.
      runAir = null;
      for (const condition of CONDITIONS) media[condition].replan();
      return;
    }
    const streamMs = base + parsed.mediaMs;
    if (parsed.type === 'clock') {
      if (parsed.mediaMs > runMax || (!sawMedia && parsed.mediaMs > 0)) {
        runMax = Math.max(runMax, parsed.mediaMs);
        mediaFlows(streamMs);
      }
      return;
    }
    runMax = Math.max(runMax, parsed.mediaMs);
    const debouncer = media[parsed.condition];
    emitMedia(
      parsed.condition,
      parsed.type === 'start' ? debouncer.start(streamMs) : debouncer.end(streamMs),
    );
    mediaFlows(streamMs);
  };

  const onStart = (proc: FfmpegProcess) => {
    runActive = true;
    sawMedia = false;
    runMax = 0;
    runAir = null;
    lastLine = null;
    lastMediaWall = clock.now();
    proc.on('stderr', onLine);
    refreshState();
  };

  const onRunEnd = (reason: string) => {
    if (!runActive) return;
    runActive = false;
    const now = clock.now();
    const end = base + runMax;
    for (const condition of CONDITIONS)
      if (media[condition].present) emitMedia(condition, media[condition].end(end));
    base = end;
    if (!sawMedia) {
      offlineReason = lastLine ? `Cannot open the stream: ${lastLine}` : reason;
      emitWall('offline', offline.start(now), offlineReason);
      if (offline.raised) {
        // Offline says it all: picture and sound alarms from before cannot be judged now.
        emitWall('stalled', stalled.reset(now), stalledMessage());
        for (const condition of CONDITIONS) emitMedia(condition, media[condition].reset(end));
        freezeMasked = false;
      }
    }
    status = { ...status, restarts: status.restarts + 1 };
    setState(status.state, lastLine ?? reason);
    refreshState();
  };

  const tick = () => {
    if (stopped) return;
    const now = clock.now();
    const { stalledAfterMs } = settings.thresholds;
    if (runActive && !stalled.present && now - lastMediaWall >= stalledAfterMs && !offline.raised)
      emitWall('stalled', stalled.start(lastMediaWall + stalledAfterMs), stalledMessage());
    emitWall('stalled', stalled.advance(now), stalledMessage());
    emitWall('offline', offline.advance(now), offlineReason);
    refreshState();
  };
  const timer = setInterval(tick, options.tickMs ?? 250);
  timer.unref();

  let supervised: SupervisedFfmpeg | null = null;
  const launch = () => {
    supervised = superviseFfmpeg(() => buildDetectorArgs(options.url, settings), {
      binary: options.binary,
      registry: options.registry,
      label: options.label,
      backoff: options.backoff,
      onStart,
      onState: (state) => {
        if (state.status === 'backoff') onRunEnd(state.reason.split('\n')[0] ?? state.reason);
      },
    });
  };
  launch();

  const clearAll = () => {
    const now = clock.now();
    emitWall('offline', offline.reset(now), offlineReason);
    emitWall('stalled', stalled.reset(now), stalledMessage());
    for (const condition of CONDITIONS) {
      const transitions = media[condition].reset(base + runMax);
      emitMedia(condition, transitions);
    }
    freezeMasked = false;
  };

  return {
    status: () => status,
    applySettings(next) {
      const restart =
        buildDetectorArgs(options.url, next).join('\0') !==
        buildDetectorArgs(options.url, settings).join('\0');
      settings = next;
      for (const condition of CONDITIONS) media[condition].setDelays(mediaDelays(next, condition));
      stalled.setDelays(wallDelays(next, 'stalled'));
      offline.setDelays(wallDelays(next, 'offline'));
      if (!restart || stopped) return;
      const previous = supervised;
      void (async () => {
        await previous?.stop();
        if (stopped) return;
        onRunEnd('restarted with new settings');
        // What the old filters found cannot be followed by the new ones.
        for (const condition of CONDITIONS) emitMedia(condition, media[condition].reset(base));
        freezeMasked = false;
        launch();
      })();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await supervised?.stop();
      runActive = false;
      clearAll();
      status = { ...status, state: 'stopped', since: clock.now() };
      options.onStatus?.(status);
    },
  };
}
