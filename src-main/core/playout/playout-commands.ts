// Pure builders of the two ffmpeg jobs playout ever runs: the station slate (once) and a cut
// segment (once per cut). Both write the house format ingest writes: H.264 with a keyframe
// first, AAC stereo 48 kHz, MPEG-TS with ffmpeg's default PIDs (as the HLS muxer uses).
import { x264Args } from '../ffmpeg/command-builders';

export type EncodeProfile = {
  width: number;
  height: number;
  fps: number;
  videoKbps: number;
  audioKbps: number;
  segmentSeconds: number;
};

function x264(profile: EncodeProfile): string[] {
  return [
    ...x264Args('veryfast', profile.videoKbps, profile.fps, profile.segmentSeconds),
    '-pix_fmt',
    'yuv420p',
  ];
}

const aac = (kbps: number) => ['-c:a', 'aac', '-b:a', `${kbps}k`, '-ac', '2', '-ar', '48000'];

/** Escapes a path for a filter-graph option value. */
const filterPath = (path: string) =>
  path.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:');

export type SlateArgs = {
  dir: string;
  profile: EncodeProfile;
  /** Whole segments of slate (the loop length). */
  segments: number;
  /** A file holding the caption; null draws no text (no font available). */
  textFile: string | null;
};

/** A dark picture with the station's caption and a silent stereo track, as HLS segments. */
export function buildSlateArgs(options: SlateArgs): string[] {
  const { profile, dir } = options;
  const seconds = options.segments * profile.segmentSeconds;
  const text = options.textFile
    ? `,drawtext=textfile='${filterPath(options.textFile)}':fontcolor=0xE8ECF1:fontsize=${Math.round(profile.height / 14)}:line_spacing=${Math.round(profile.height / 40)}:x=(w-text_w)/2:y=(h-text_h)/2`
    : '';
  return [
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=0x101418:s=${profile.width}x${profile.height}:r=${profile.fps}:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    'anullsrc=channel_layout=stereo:sample_rate=48000',
    '-filter_complex',
    `[0:v]format=yuv420p${text}[v]`,
    '-map',
    '[v]',
    ...x264(profile),
    '-map',
    '1:a',
    ...aac(profile.audioKbps),
    '-frames:v',
    String(Math.round(seconds * profile.fps)),
    '-t',
    String(seconds),
    '-f',
    'hls',
    '-hls_time',
    String(profile.segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_flags',
    'independent_segments',
    '-hls_segment_type',
    'mpegts',
    '-hls_segment_filename',
    `${dir}/seg_%05d.ts`,
    `${dir}/index.m3u8`,
  ];
}

export type CutArgs = {
  source: string;
  output: string;
  profile: EncodeProfile;
  fromMs: number;
  toMs: number;
};

/** Frames [from, to) of a segment that starts on a keyframe, re-encoded so it starts on one too. */
export function buildCutArgs(options: CutArgs): string[] {
  const { profile } = options;
  const frameMs = 1000 / profile.fps;
  const first = Math.round(options.fromMs / frameMs);
  const last = Math.max(first + 1, Math.round(options.toMs / frameMs));
  const start = ((first * frameMs) / 1000).toFixed(6);
  const end = ((last * frameMs) / 1000).toFixed(6);
  const length = (((last - first) * frameMs) / 1000).toFixed(6);
  return [
    '-y',
    '-i',
    options.source,
    '-filter_complex',
    `[0:v:0]trim=start_frame=${first}:end_frame=${last},setpts=PTS-STARTPTS[v];` +
      `[0:a:0]asetpts=PTS-STARTPTS,atrim=start=${start}:end=${end},asetpts=PTS-STARTPTS,apad[a]`,
    '-map',
    '[v]',
    ...x264(profile),
    '-map',
    '[a]',
    ...aac(profile.audioKbps),
    '-t',
    length,
    '-map_metadata',
    '-1',
    '-f',
    'mpegts',
    options.output,
  ];
}
