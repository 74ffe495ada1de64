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

/** The house format an ingest encodes to (a subset of the station's house profile). */
export interface IngestProfile {
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  segmentSeconds: number;
  proxyWidth: number;
  proxyHeight: number;
  proxyVideoBitrateKbps: number;
}

export interface IngestEncodeOptions {
  /** Absolute path of the source file. */
  input: string;
  /** Folder for the main HLS rendition (it must exist). */
  mainDir: string;
  /**
   * Folder for a proxy rendition written by the same run (it must exist). Ingest leaves it out
   * and makes the proxy later from the main rendition (`buildProxyEncodeArgs`).
   */
  proxyDir?: string;
  profile: IngestProfile;
  /** `remux` copies the source's H.264 into the main rendition; a proxy is always encoded. */
  method: 'remux' | 'transcode';
  /** False for audio-only sources: a black picture is generated. */
  hasVideo: boolean;
  /** False for video-only sources: silence is generated. */
  hasAudio: boolean;
  interlaced: boolean;
  /** Linear gain that brings the source to the loudness target (from a measuring pass). */
  gainDb: number;
  /**
   * Remux only: the source's audio is already house format and at the loudness target, so it
   * is copied untouched (no gain, no padding) instead of re-encoded.
   */
  copyAudio?: boolean;
  /** Length of the output in seconds; generated streams and audio padding end here. */
  durationS: number;
  /** libx264 preset of the main rendition (default veryfast). */
  preset?: string;
  proxyPreset?: string;
}

export const HLS_SEGMENT_PATTERN = 'seg_%05d.ts';
export const HLS_PLAYLIST = 'index.m3u8';

function hlsOutputArgs(dir: string, segmentSeconds: number): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_flags',
    'independent_segments',
    '-hls_segment_type',
    'mpegts',
    '-hls_segment_filename',
    `${dir}/${HLS_SEGMENT_PATTERN}`,
    `${dir}/${HLS_PLAYLIST}`,
  ];
}

/**
 * Keyframes exactly on every segment boundary, and nowhere a scene cut would add one. Shared by
 * ingest and by playout's slate and cuts, so every segment on a channel has the same cadence.
 */
export function x264Args(
  preset: string,
  kbps: number,
  fps: number,
  segmentSeconds: number,
): string[] {
  const gop = String(Math.round(fps * segmentSeconds));
  return [
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-b:v',
    `${kbps}k`,
    '-maxrate',
    `${Math.round(kbps * 1.2)}k`,
    '-bufsize',
    `${kbps * 2}k`,
    '-g',
    gop,
    '-keyint_min',
    gop,
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${segmentSeconds})`,
  ];
}

/** Stereo, 48 kHz, float: what the AAC encoder gets for both renditions. */
function audioChain(gainDb: number): string {
  const gain = Number.isFinite(gainDb) ? gainDb : 0;
  return [
    'aresample=48000',
    'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo',
    `volume=${gain.toFixed(2)}dB:precision=float`,
    // Short audio is padded with silence up to the picture's length (-t ends both).
    'apad',
  ].join(',');
}

function aacArgs(kbps: number): string[] {
  return ['-c:a', 'aac', '-b:a', `${kbps}k`, '-ac', '2', '-ar', '48000'];
}

/** Proxy kilobits per second of audio. */
const PROXY_AUDIO_KBPS = 64;

function proxyScaleFilter(proxyWidth: number, proxyHeight: number): string {
  return `scale=${proxyWidth}:${proxyHeight}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=${proxyWidth}:${proxyHeight}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
}

/**
 * One ffmpeg run writes the main rendition (and, if `proxyDir` is given, the proxy from the
 * same decode). Every output has one H.264 and one AAC stereo stream, because seamless
 * playout splices segments of different assets and needs them uniform.
 */
export function buildIngestEncodeArgs(options: IngestEncodeOptions): string[] {
  const { input, mainDir, proxyDir, profile, method, hasVideo, hasAudio } = options;
  const { width, height, fps, segmentSeconds } = profile;
  assertFileOutput(mainDir);
  if (proxyDir !== undefined) assertFileOutput(proxyDir);
  assertPositive('durationS', options.durationS, false);
  assertPositive('fps', fps, true);
  assertPositive('segmentSeconds', segmentSeconds, true);
  if (!hasVideo && !hasAudio) throw new RangeError('a source needs video or audio');
  if (method === 'remux' && (!hasVideo || options.interlaced)) {
    throw new RangeError('only a progressive video source can be remuxed');
  }
  const copyAudio = options.copyAudio === true;
  if (copyAudio && (method !== 'remux' || !hasAudio || proxyDir !== undefined)) {
    throw new RangeError('audio is copied only by a remux of a source with audio, without proxy');
  }
  const withProxy = proxyDir !== undefined;
  const duration = options.durationS.toFixed(3);
  const args = ['-y', '-i', input];
  let videoIn = '0:v:0';
  let audioIn = '0:a:0';
  if (!hasVideo) {
    args.push('-f', 'lavfi', '-i', `color=c=black:s=${width}x${height}:r=${fps}`);
    videoIn = '1:v:0';
  }
  if (!hasAudio) {
    args.push('-f', 'lavfi', '-i', 'anullsrc=channel_layout=stereo:sample_rate=48000');
    audioIn = '1:a:0';
  }

  const filters: string[] = [];
  const proxyScale = proxyScaleFilter(profile.proxyWidth, profile.proxyHeight);
  if (method === 'remux') {
    if (withProxy) filters.push(`[${videoIn}]${proxyScale}[vproxy]`);
  } else {
    const video = [
      // bwdif keeps one frame per frame (25i → 25p); the fps filter then makes it house CFR.
      ...(options.interlaced ? ['bwdif=mode=send_frame:parity=auto:deint=all'] : []),
      `fps=${fps}`,
      `scale=${width}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2`,
      `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
      'setsar=1',
      // Also brings 10-bit and 4:2:2/4:4:4 sources to 8-bit 4:2:0, which every player decodes.
      'format=yuv420p',
    ];
    if (withProxy) {
      filters.push(`[${videoIn}]${[...video, 'split=2[vmain][vsplit]'].join(',')}`);
      filters.push(`[vsplit]${proxyScale}[vproxy]`);
    } else {
      filters.push(`[${videoIn}]${video.join(',')}[vmain]`);
    }
  }
  if (!copyAudio) {
    const audio = audioChain(hasAudio ? options.gainDb : 0);
    filters.push(
      withProxy ? `[${audioIn}]${audio},asplit=2[amain][aproxy]` : `[${audioIn}]${audio}[amain]`,
    );
  }
  if (filters.length > 0) args.push('-filter_complex', filters.join(';'));

  const common = ['-t', duration, '-map_metadata', '-1', '-map_chapters', '-1'];
  if (method === 'remux') args.push('-map', videoIn, '-c:v', 'copy');
  else {
    args.push('-map', '[vmain]');
    args.push(
      ...x264Args(options.preset ?? 'veryfast', profile.videoBitrateKbps, fps, segmentSeconds),
    );
  }
  if (copyAudio) args.push('-map', audioIn, '-c:a', 'copy', ...common);
  else args.push('-map', '[amain]', ...aacArgs(profile.audioBitrateKbps), ...common);
  args.push(...hlsOutputArgs(mainDir, segmentSeconds));

  if (proxyDir !== undefined) {
    args.push('-map', '[vproxy]');
    args.push(
      ...x264Args(
        options.proxyPreset ?? 'veryfast',
        profile.proxyVideoBitrateKbps,
        fps,
        segmentSeconds,
      ),
    );
    args.push('-map', '[aproxy]', ...aacArgs(PROXY_AUDIO_KBPS), ...common);
    args.push(...hlsOutputArgs(proxyDir, segmentSeconds));
  }
  return args;
}

export interface ProxyEncodeOptions {
  /** The main rendition's playlist: already house format, so the decode is cheap. */
  mainPlaylist: string;
  /** Folder for the proxy HLS rendition (it must exist). */
  proxyDir: string;
  proxyWidth: number;
  proxyHeight: number;
  proxyVideoBitrateKbps: number;
  /** Frame rate of the main rendition. */
  fps: number;
  /**
   * Length of the main rendition's segments, in seconds (a whole number of frames): the proxy
   * gets a keyframe at the same instants, so both renditions cut at the same boundaries.
   */
  segmentSeconds: number;
  /** Length of the main rendition in seconds. */
  durationS: number;
  preset?: string;
}

/**
 * The proxy rendition made from the main one after the asset is ready. The main rendition's
 * audio is already normalised, so it is only resampled and re-encoded at the proxy bitrate.
 */
export function buildProxyEncodeArgs(options: ProxyEncodeOptions): string[] {
  const { mainPlaylist, proxyDir, fps, segmentSeconds } = options;
  assertFileOutput(proxyDir);
  assertPositive('fps', fps, true);
  assertPositive('segmentSeconds', segmentSeconds, false);
  assertPositive('durationS', options.durationS, false);
  assertPositive('proxyWidth', options.proxyWidth, true);
  assertPositive('proxyHeight', options.proxyHeight, true);
  if (!Number.isInteger(Math.round(fps * segmentSeconds * 1000) / 1000)) {
    throw new RangeError(`a segment must be a whole number of frames: ${segmentSeconds} s`);
  }
  return [
    '-y',
    '-i',
    mainPlaylist,
    '-filter_complex',
    `[0:v:0]${proxyScaleFilter(options.proxyWidth, options.proxyHeight)}[vproxy];[0:a:0]${audioChain(0)}[aproxy]`,
    '-map',
    '[vproxy]',
    ...x264Args(options.preset ?? 'veryfast', options.proxyVideoBitrateKbps, fps, segmentSeconds),
    '-map',
    '[aproxy]',
    ...aacArgs(PROXY_AUDIO_KBPS),
    '-t',
    options.durationS.toFixed(3),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...hlsOutputArgs(proxyDir, segmentSeconds),
  ];
}

/** One frame (the first of `segment`, which starts on a keyframe) as a JPEG poster. */
export function buildPosterArgs(segment: string, output: string, width = 640): string[] {
  assertFileOutput(output);
  assertPositive('width', width, true);
  return [
    '-y',
    '-i',
    segment,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-vf',
    `scale=${width}:-2`,
    '-q:v',
    '3',
    '-update',
    '1',
    output,
  ];
}

export interface FilmstripOptions {
  /** The proxy playlist: small frames, cheap to decode. */
  playlist: string;
  output: string;
  /** Take every `everyKeyframe`-th keyframe (keyframes are one segment apart). */
  everyKeyframe: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/** A sprite of evenly spaced frames; only keyframes are decoded, so it costs little. */
export function buildFilmstripArgs(options: FilmstripOptions): string[] {
  const { playlist, output, everyKeyframe, columns, rows, tileWidth, tileHeight } = options;
  assertFileOutput(output);
  assertPositive('everyKeyframe', everyKeyframe, true);
  assertPositive('columns', columns, true);
  assertPositive('rows', rows, true);
  return [
    '-y',
    '-skip_frame',
    'nokey',
    '-i',
    playlist,
    '-map',
    '0:v:0',
    '-vf',
    `select='not(mod(n\\,${everyKeyframe}))',scale=${tileWidth}:${tileHeight},tile=${columns}x${rows}`,
    '-fps_mode',
    'passthrough',
    '-frames:v',
    '1',
    '-q:v',
    '4',
    '-update',
    '1',
    output,
  ];
}

function assertSeconds(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be ≥ 0: ${value}`);
}

/** Seconds as ffmpeg reads them, to the microsecond (never exponent notation). */
function secondsArg(value: number): string {
  return value.toFixed(6);
}

export interface FrameGrabOptions {
  /** A recorded segment (MPEG-TS as the source sent it). */
  input: string;
  /** From the segment's start time; the first frame at or after it is taken (decoded, exact). */
  seekSeconds: number;
  format: 'png' | 'jpeg';
  output: string;
}

/**
 * One frame at the source's full resolution. The seek is an output option: ffmpeg decodes the
 * segment from its head (a keyframe) and drops frames before the seek point. A segment is a few
 * seconds, so that is cheap; an input seek inside a short MPEG-TS segment whose only keyframe
 * is its first frame lands past it and finds no frame at all.
 */
export function buildFrameGrabArgs(options: FrameGrabOptions): string[] {
  assertFileOutput(options.output);
  assertFileOutput(options.input);
  assertSeconds('seekSeconds', options.seekSeconds);
  return [
    '-y',
    '-i',
    options.input,
    '-ss',
    secondsArg(options.seekSeconds),
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    ...(options.format === 'png'
      ? ['-c:v', 'png']
      : ['-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj420p']),
    '-f',
    'image2',
    '-update',
    '1',
    options.output,
  ];
}

export interface ClipCutOptions {
  /** Recorded MPEG-TS segments in air order, back to back (joined byte for byte). */
  inputs: readonly string[];
  /** In point from the first input's start time (the first frame at or after it opens the clip). */
  seekSeconds: number;
  durationSeconds: number;
  output: string;
}

/**
 * A frame-exact clip: the whole clip re-encoded to H.264 + AAC in MP4, so it opens on the
 * asked frame in every player (a stream copy would start at the keyframe before, hidden only
 * by an edit list). The seek is an output option (see buildFrameGrabArgs): decoding starts at
 * the head of the segment holding the in point, and audio and video are cut at the same time,
 * which keeps them in sync.
 */
export function buildClipCutArgs(options: ClipCutOptions): string[] {
  assertFileOutput(options.output);
  assertSeconds('seekSeconds', options.seekSeconds);
  assertPositive('durationSeconds', options.durationSeconds, false);
  if (options.inputs.length === 0) throw new RangeError('a clip needs at least one segment');
  for (const input of options.inputs) {
    // The concat protocol separates inputs with "|".
    if (input.includes('|')) throw new RangeError(`segment path holds "|": ${input}`);
    assertFileOutput(input);
  }
  return [
    '-y',
    '-i',
    `concat:${options.inputs.join('|')}`,
    '-ss',
    secondsArg(options.seekSeconds),
    '-t',
    secondsArg(options.durationSeconds),
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '192k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    options.output,
  ];
}

export interface RemuxToHlsOptions {
  /** The source: rtmp(s), srt, rtsp(s), udp, or an http(s) MPEG-TS stream. */
  url: string;
  /** A private folder: `index.m3u8` and its segments, named by a growing sequence number. */
  dir: string;
  segmentSeconds: number;
  /** An input that sends nothing for this long ends the run (the supervisor starts another). */
  inputTimeoutSeconds: number;
}

/** Only what a network source needs: a source cannot make ffmpeg open a file or other protocol. */
const REMUX_PROTOCOLS = 'udp,rtp,tcp,tls,http,https,httpproxy,crypto,rtmp,rtmps,srt,rtsp,rtsps';

/**
 * A network source stream-copied into short HLS segments with program date-times, which the
 * recorder then takes in as it takes an HLS source. Nothing is re-encoded. A run ends when the
 * input stops (the timeout), so every run starts its date-times afresh from the clock: ffmpeg
 * dates segments from when its output began, so a run kept across an outage would date what
 * comes after it too early. Sequence numbers start from the epoch second, so they keep growing
 * across runs and no segment name is reused. Probing is kept short because the first segment's
 * date is taken after it: the air time of a remuxed source is when it arrived, give or take that.
 */
export function buildRemuxToHlsArgs(options: RemuxToHlsOptions): string[] {
  assertFileOutput(options.dir);
  assertPositive('segmentSeconds', options.segmentSeconds, false);
  assertPositive('inputTimeoutSeconds', options.inputTimeoutSeconds, false);
  const url = new URL(options.url);
  const timeoutMicros = String(Math.round(options.inputTimeoutSeconds * 1_000_000));
  // The socket timeout is spelled per protocol (microseconds for all of these).
  const timeout =
    url.protocol === 'udp:' || url.protocol === 'srt:' || url.protocol.startsWith('rtsp')
      ? ['-timeout', timeoutMicros]
      : ['-rw_timeout', timeoutMicros];
  return [
    '-protocol_whitelist',
    REMUX_PROTOCOLS,
    ...timeout,
    ...(url.protocol.startsWith('rtsp') ? ['-rtsp_transport', 'tcp'] : []),
    '-probesize',
    '1000000',
    '-analyzeduration',
    '1000000',
    '-i',
    options.url,
    '-map',
    '0:v:0?',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    '-f',
    'hls',
    '-hls_time',
    String(options.segmentSeconds),
    '-hls_list_size',
    '10',
    '-hls_flags',
    'delete_segments+program_date_time+temp_file',
    '-hls_start_number_source',
    'epoch',
    '-hls_segment_filename',
    `${options.dir}/%d.ts`,
    `${options.dir}/index.m3u8`,
  ];
}

export interface FastRenditionOptions {
  /** A recorded segment (MPEG-TS as the source sent it). */
  input: string;
  output: string;
  /** The segment's duration as indexed (its EXTINF): the rendition covers exactly as much. */
  durationSeconds: number;
  /** Frames per second of the rendition (duplicates of the last keyframe between keyframes). */
  fps?: number;
  /** Frames wider than this are scaled down, keeping the aspect ratio. */
  maxWidth?: number;
}

/**
 * The desk's fast-review rendition of one segment. Above 4× a browser cannot decode a full-rate
 * stream in time (frames drop, playback stalls) and a 60 Hz screen shows at most a few source
 * frames per media second anyway, so only keyframes are decoded (`-skip_frame nokey`, the cheap
 * part of decoding) and each is held until the next at a low constant rate, scaled down. The
 * constant rate matters: a stream of bare keyframes leaves holes between segments that the
 * player closes by moving frames in time. Timestamps are kept (`-copyts`, no mux delay) so the
 * rendition's frames sit where the original's do, to within half a rendition frame; the audio is
 * copied untouched, so the focused tile still has sound.
 */
export function buildFastRenditionArgs(options: FastRenditionOptions): string[] {
  assertFileOutput(options.input);
  assertFileOutput(options.output);
  assertPositive('durationSeconds', options.durationSeconds, false);
  const fps = options.fps ?? 8;
  const maxWidth = options.maxWidth ?? 480;
  assertPositive('fps', fps, false);
  assertPositive('maxWidth', maxWidth, false);
  const duration = secondsArg(options.durationSeconds);
  return [
    '-y',
    '-skip_frame',
    'nokey',
    '-i',
    options.input,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-vf',
    [
      // Scaled first, so the held copies are small frames (a third less CPU at 720p).
      `scale='min(${maxWidth},iw)':-2`,
      `tpad=stop_mode=clone:stop_duration=${duration}`,
      `fps=${fps}`,
      `trim=duration=${duration}`,
    ].join(','),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-bf',
    '0',
    // One keyframe per segment: every segment of the rendition starts independently.
    '-g',
    String(Math.ceil(fps * options.durationSeconds) + 1),
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'copy',
    '-copyts',
    '-muxdelay',
    '0',
    '-muxpreload',
    '0',
    '-f',
    'mpegts',
    options.output,
  ];
}

/**
 * Where to seek in a segment for the frame on air at `offsetSeconds` after its start: the last
 * frame whose presentation time is at or before it (half a millisecond of rounding allowed),
 * minus a hair so ffmpeg's "first frame at or after" lands on it. `framePts` are the video
 * frames' presentation times and `startTime` the segment's start time (ffmpeg seeks from it).
 */
export function seekForFrameOnAir(
  framePts: readonly number[],
  startTime: number,
  offsetSeconds: number,
): number {
  const wanted = startTime + offsetSeconds + 0.0005;
  let chosen: number | null = null;
  let earliest = Infinity;
  for (const pts of framePts) {
    if (pts < earliest) earliest = pts;
    if (pts <= wanted && (chosen === null || pts > chosen)) chosen = pts;
  }
  const frame = chosen ?? earliest;
  if (!Number.isFinite(frame)) throw new RangeError('the segment has no video frame');
  return Math.max(0, frame - startTime - 0.0001);
}
