/**
 * Audio level meters for the wall. One AudioContext for the whole window; each tile's video
 * feeds a splitter and a pair of analysers (left, right), then a gain that is 0 unless the
 * tile is soloed. Going through the graph is what lets a muted-to-the-room tile still be
 * measured: a muted <video> would give the graph silence, so the element plays unmuted and
 * the gain decides what the room hears.
 */
let context: AudioContext | null = null;
const listeners = new Set<() => void>();

export function audioContext(): AudioContext {
  if (!context) {
    context = new AudioContext({ latencyHint: 'playback' });
    context.addEventListener('statechange', () => listeners.forEach((l) => l()));
  }
  return context;
}

/** Whether meters (and solo sound) can run: the browser allows audio only after a gesture. */
export function audioRunning(): boolean {
  return context?.state === 'running';
}

/**
 * Subscribes to the context's state. Subscribing makes the context: a wall where autoplay is
 * allowed (the desktop's wall window) runs meters at once, others wait for the first click.
 */
export function onAudioState(listener: () => void): () => void {
  audioContext();
  listeners.add(listener);
  listener();
  return () => listeners.delete(listener);
}

/** Called from a click or key press: the gesture that lets the context run. */
export function resumeAudio(): void {
  void audioContext()
    .resume()
    .catch(() => undefined);
}

export type MeterLevels = { left: number; right: number };

export type TileMeter = {
  /** Peak level of the last frame per side, dBFS (−Infinity for silence). */
  read(): MeterLevels;
  setAudible(audible: boolean): void;
};

const meters = new WeakMap<HTMLVideoElement, TileMeter>();
const FFT_SIZE = 1024;

/** The meter of a video element (a source node can be made once per element, so it is kept). */
export function meterFor(video: HTMLVideoElement): TileMeter {
  const existing = meters.get(video);
  if (existing) return existing;
  const ctx = audioContext();
  const source = ctx.createMediaElementSource(video);
  const splitter = ctx.createChannelSplitter(2);
  const merger = ctx.createChannelMerger(2);
  const gain = ctx.createGain();
  gain.gain.value = 0;
  const sides = [0, 1].map((channel) => {
    const analyser = ctx.createAnalyser();
    analyser.fftSize = FFT_SIZE;
    analyser.smoothingTimeConstant = 0;
    splitter.connect(analyser, channel);
    analyser.connect(merger, 0, channel);
    return analyser;
  });
  source.connect(splitter);
  merger.connect(gain);
  gain.connect(ctx.destination);
  const buffer = new Float32Array(FFT_SIZE);
  const peak = (analyser: AnalyserNode) => {
    analyser.getFloatTimeDomainData(buffer);
    let max = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const v = Math.abs(buffer[i]!);
      if (v > max) max = v;
    }
    return max > 0 ? 20 * Math.log10(max) : -Infinity;
  };
  const meter: TileMeter = {
    read: () => ({ left: peak(sides[0]!), right: peak(sides[1]!) }),
    setAudible: (audible) => gain.gain.setTargetAtTime(audible ? 1 : 0, ctx.currentTime, 0.02),
  };
  meters.set(video, meter);
  return meter;
}

/**
 * One animation loop draws every tile's meter; tiles register while they are visible. 20 draws a
 * second read like a broadcast meter (peak hold does the rest) and leave the CPU to the video.
 */
const drawers = new Set<(now: number) => void>();
const DRAW_EVERY_MS = 50;
let frame: number | null = null;
let lastDraw = 0;

function loop(now: number) {
  if (now - lastDraw >= DRAW_EVERY_MS - 4) {
    lastDraw = now;
    for (const draw of drawers) draw(now);
  }
  frame = drawers.size > 0 ? requestAnimationFrame(loop) : null;
}

export function onAnimationFrame(draw: (now: number) => void): () => void {
  drawers.add(draw);
  frame ??= requestAnimationFrame(loop);
  return () => {
    drawers.delete(draw);
  };
}

/** The meter's scale: −60 dBFS at the bottom, 0 at the top. */
export const METER_FLOOR_DB = -60;

export function meterFraction(db: number): number {
  if (!Number.isFinite(db) || db <= METER_FLOOR_DB) return 0;
  return Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB);
}
