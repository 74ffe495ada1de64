// The ffmpeg command of one detector: read a stream as it comes, decode it, and let the
// detection filters report on stderr. Pure, so the exact arguments are unit-tested.
import type { AlarmsSettings } from '../../../src-shared/contract';

/** Our own requests carry this, so they are not counted as viewers. */
export const MONITOR_USER_AGENT = 'Airdeck-Monitor/1';

/** A stream that sends nothing for this long makes ffmpeg give up (and the detector restart). */
export const READ_TIMEOUT_US = 10_000_000;

const seconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

export type DetectorFilters = { video: string | null; audio: string | null };

/** The filter chains for the enabled kinds (null: that stream is not analysed). */
export function detectorFilters(settings: AlarmsSettings): DetectorFilters {
  const { kinds, thresholds } = settings;
  const d = seconds(thresholds.detectMinMs);
  const video: string[] = [];
  if (kinds.black.enabled) {
    // blackdetect logs only when black ends; its frame metadata marks the start as it happens.
    video.push(
      `blackdetect=d=0:pic_th=${thresholds.blackPictureRatio}:pix_th=${thresholds.blackPixelLevel}`,
      'metadata=mode=print:key=lavfi.black_start',
      'metadata=mode=print:key=lavfi.black_end',
    );
  }
  if (kinds.freeze.enabled) video.push(`freezedetect=n=${thresholds.freezeNoiseDb}dB:d=${d}`);
  const audio = kinds.silence.enabled
    ? `silencedetect=n=${thresholds.silenceNoiseDb}dB:d=${d}`
    : null;
  return { video: video.length > 0 ? video.join(',') : null, audio };
}

/**
 * Job arguments (runFfmpeg adds -hide_banner -nostdin -progress pipe:1 -nostats). Progress
 * goes to stderr instead (the later -progress wins) so stream times and detections arrive in
 * the order ffmpeg wrote them.
 */
export function buildDetectorArgs(url: string, settings: AlarmsSettings): string[] {
  const filters = detectorFilters(settings);
  const args = [
    '-progress',
    'pipe:2',
    '-stats_period',
    '0.5',
    '-loglevel',
    'info',
    '-threads',
    '1',
    '-rw_timeout',
    String(READ_TIMEOUT_US),
    '-user_agent',
    MONITOR_USER_AGENT,
    '-i',
    url,
    '-map',
    '0:v:0?',
    '-map',
    '0:a:0?',
    '-dn',
    '-sn',
  ];
  if (filters.video) args.push('-vf', filters.video);
  if (filters.audio) args.push('-af', filters.audio);
  args.push('-f', 'null', '-');
  return args;
}
