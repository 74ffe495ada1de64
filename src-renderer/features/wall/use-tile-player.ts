import Hls from 'hls.js';
import { useEffect, useState, type RefObject } from 'react';
import { onUnrecoverableError } from '../../app/api/hls-fatal-error';

export type TilePlayerState =
  { kind: 'idle' } | { kind: 'joining' } | { kind: 'playing' } | { kind: 'problem'; text: string };

/** A source that answered 503 (just started, briefly off air) is tried again after this. */
const RETRY_AFTER_MS = 3000;

/**
 * Monitor settings: join two segments from the live edge, keep a small buffer (a wall shows
 * now, not a smooth past), drop what was played, and pick the rendition that fits the tile.
 */
const MONITOR_CONFIG: Partial<Hls['config']> = {
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 5,
  maxBufferLength: 8,
  maxMaxBufferLength: 12,
  backBufferLength: 0,
  capLevelToPlayerSize: true,
  startFragPrefetch: true,
  enableWorker: true,
  manifestLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 10_000,
      maxLoadTimeMs: 20_000,
      timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 2, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
    },
  },
};

/**
 * One hls.js player per tile, alive only while `active` (the tile is visible and its source
 * plays): hiding the tile destroys the player and empties the element, so nothing loads.
 * Public outputs and outside streams need no token, so no header is sent (a header would make
 * every cross-origin request a preflight).
 */
export function useTilePlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  source: string | null,
  active: boolean,
): TilePlayerState {
  const [state, setState] = useState<TilePlayerState>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !source || !active) {
      setState({ kind: 'idle' });
      return;
    }
    setState({ kind: 'joining' });
    const play = () => void video.play().catch(() => undefined);
    const onPlaying = () => setState({ kind: 'playing' });
    video.addEventListener('playing', onPlaying);
    let retry: ReturnType<typeof setTimeout> | undefined;

    if (!Hls.isSupported()) {
      video.src = source;
      play();
      return () => {
        video.removeEventListener('playing', onPlaying);
        video.removeAttribute('src');
        video.load();
      };
    }

    const hls = new Hls(MONITOR_CONFIG);
    hls.on(Hls.Events.MANIFEST_PARSED, play);
    onUnrecoverableError(hls, (data) => {
      const status = data.response?.code;
      setState({
        kind: 'problem',
        text:
          status === 503
            ? 'Off air'
            : status === 401 || status === 403
              ? 'Refused (key?)'
              : `No signal (${data.details})`,
      });
      hls.stopLoad();
      retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_AFTER_MS * (status === 503 ? 1 : 3));
    });
    hls.loadSource(source);
    hls.attachMedia(video);
    return () => {
      clearTimeout(retry);
      video.removeEventListener('playing', onPlaying);
      hls.destroy();
      video.removeAttribute('src');
      video.load();
    };
  }, [videoRef, source, active, attempt]);

  return state;
}
