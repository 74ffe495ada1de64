// Pure functions from intent to ffmpeg job arguments (runFfmpeg adds the base arguments).
// No I/O here, so every builder is unit-tested by comparing arrays.

export interface TestPatternOptions {
  output: string;
  durationS: number;
  width?: number;
  height?: number;
  fps?: number;
}

function assertPositive(name: string, value: number, integer: boolean): void {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? 'integer' : 'number'}: ${value}`);
  }
}

/** ffmpeg would read an output path starting with "-" as an option. */
function assertFileOutput(output: string): void {
  if (output === '' || output.startsWith('-')) {
    throw new RangeError(`output must be a file path, got "${output}"`);
  }
}

/** A colour-bar clip with a 1 kHz tone (H.264 + AAC in MP4), e.g. for test fixtures. */
export function buildTestPatternArgs(options: TestPatternOptions): string[] {
  const { output, durationS, width = 1280, height = 720, fps = 25 } = options;
  assertFileOutput(output);
  assertPositive('durationS', durationS, false);
  assertPositive('width', width, true);
  assertPositive('height', height, true);
  assertPositive('fps', fps, true);
  // yuv420p halves chroma in both directions, so libx264 refuses odd sizes.
  if (width % 2 !== 0 || height % 2 !== 0) {
    throw new RangeError(`width and height must be even for yuv420p: ${width}x${height}`);
  }
  return [
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${fps}:duration=${durationS}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=1000:sample_rate=48000:duration=${durationS}`,
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    // A keyframe every two seconds so fixtures can be cut and seeked like real media.
    '-g',
    String(fps * 2),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ac',
    '2',
    '-shortest',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}
