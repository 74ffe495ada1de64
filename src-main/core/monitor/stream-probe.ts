// Probes an outside stream with ffprobe: what the wall will show, or why it cannot.
import type { ProbeOutcome, StreamProbe } from '../../../src-shared/contract';
import type { FfmpegRegistry } from '../ffmpeg';
import { runFfprobe } from '../ingest/run-ffprobe';
import { MONITOR_USER_AGENT, READ_TIMEOUT_US } from './detector-args';

const PROBE_TIMEOUT_MS = 20_000;

type ProbeJson = {
  format?: { format_name?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    channels?: number;
    sample_rate?: string;
  }[];
};

function rate(value: string | undefined): number | null {
  if (!value) return null;
  const [num, den] = value.split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return null;
  return Math.round((num / den) * 1000) / 1000;
}

/** Pure: ffprobe's JSON to what the contract reports. */
export function readStreamProbe(json: ProbeJson): StreamProbe | null {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) return null;
  return {
    format: json.format?.format_name ?? 'unknown',
    video: video
      ? {
          codec: video.codec_name ?? 'unknown',
          width: video.width ?? 0,
          height: video.height ?? 0,
          fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
        }
      : null,
    audio: audio
      ? {
          codec: audio.codec_name ?? 'unknown',
          channels: audio.channels ?? 0,
          sampleRate: Number(audio.sample_rate ?? 0) || 0,
        }
      : null,
  };
}

/** The last meaningful line ffprobe wrote, e.g. "Connection refused". */
function reason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? 'ffprobe could not read the stream';
}

export async function probeStream(
  url: string,
  options: { binary: string | null; registry: FfmpegRegistry },
): Promise<ProbeOutcome> {
  if (!options.binary) return { ok: false, error: 'ffprobe is not available on this station' };
  try {
    const output = await runFfprobe(
      [
        '-v',
        'error',
        '-rw_timeout',
        String(READ_TIMEOUT_US),
        '-user_agent',
        MONITOR_USER_AGENT,
        '-show_entries',
        'format=format_name:stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,channels,sample_rate',
        '-of',
        'json',
        url,
      ],
      { binary: options.binary, registry: options.registry, timeoutMs: PROBE_TIMEOUT_MS },
    );
    if (output.code !== 0) return { ok: false, error: reason(output.stderr) };
    const probe = readStreamProbe(JSON.parse(output.stdout) as ProbeJson);
    if (!probe) return { ok: false, error: 'the stream has neither video nor audio' };
    return { ok: true, probe };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
