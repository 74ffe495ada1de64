// The test sources' picture and sound: ffmpeg's moving test pattern and a 440 Hz tone, encoded
// as a broadcaster's contribution would be (H.264 with a fixed keyframe interval, AAC), so every
// helper that plays a source feeds the recorder the same kind of stream.

export type TestPatternOptions = {
  width?: number;
  height?: number;
  /** Read at real speed (a live source) rather than as fast as the machine goes. */
  realtime?: boolean;
  /** Length in seconds; endless when absent. */
  seconds?: number;
  /** Frames between keyframes (25 fps: 25 is one a second). */
  gopFrames: number;
};

/** The inputs and codec arguments; the caller adds the output format and target. */
export function testPatternArgs(options: TestPatternOptions): string[] {
  const { width = 320, height = 180, realtime = false, seconds, gopFrames } = options;
  const re = realtime ? ['-re'] : [];
  const duration = seconds === undefined ? '' : `:duration=${seconds}`;
  return [
    ...['-hide_banner', '-v', 'error', '-nostdin'],
    ...[...re, '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25${duration}`],
    ...[...re, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000${duration}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-b:a', '64k'],
  ];
}
