import Hls from 'hls.js';
import { useEffect, useRef, useState } from 'react';
import { onUnrecoverableError } from '../../app/api/hls-fatal-error';
import { mediaUrl } from '../../app/api/media';
import { setMuted, useChannelsControl } from './store';

/**
 * The channel's public proxy rendition as viewers get it (hls.js, live edge). Muted by default;
 * a new channel, a new key or going on/off air builds a new player and destroys the old one.
 */
export function LivePreview({
  slug,
  onAir,
  keyQuery,
}: {
  slug: string;
  onAir: boolean;
  keyQuery: string;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const muted = useChannelsControl((s) => s.muted);
  const [problem, setProblem] = useState<{ source: string; text: string } | null>(null);
  const [playing, setPlaying] = useState(false);
  // A channel that has just started may answer 503 for a moment: try again after a pause.
  const [attempt, setAttempt] = useState(0);
  const source = onAir
    ? mediaUrl(`/channels/${encodeURIComponent(slug)}/proxy.m3u8${keyQuery}`)
    : null;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !source) return;
    const fail = (text: string) => setProblem({ source, text });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const play = () => void video.play().catch(() => undefined);
    if (Hls.isSupported()) {
      const hls = new Hls({
        liveSyncDurationCount: 2,
        backBufferLength: 10,
        manifestLoadPolicy: {
          default: {
            maxTimeToFirstByteMs: 10_000,
            maxLoadTimeMs: 20_000,
            timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
            errorRetry: { maxNumRetry: 3, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
          },
        },
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        setProblem(null);
        play();
      });
      onUnrecoverableError(hls, (data) => {
        const status = data.response?.code;
        if (status === 503) {
          fail('Off air');
          retry = setTimeout(() => setAttempt((n) => n + 1), 3000);
        } else if (status === 401 || status === 403) fail('The output wants a key (see Outputs).');
        else fail(`The preview cannot play (${data.details}).`);
        hls.stopLoad();
      });
      hls.loadSource(source);
      hls.attachMedia(video);
      return () => {
        clearTimeout(retry);
        hls.destroy();
      };
    }
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = source;
      play();
      return () => {
        video.removeAttribute('src');
        video.load();
      };
    }
    fail('This browser cannot play HLS.');
  }, [source, attempt]);

  const message = !onAir ? 'Off air' : problem?.source === source ? problem.text : null;
  return (
    <section className="cc-preview" data-testid="preview-player" aria-label="Channel preview">
      <div className="cc-preview__screen">
        {onAir && (
          <video
            ref={videoRef}
            className="cc-preview__video"
            data-testid="preview-video"
            playsInline
            autoPlay
            muted={muted}
            onPlaying={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onEmptied={() => setPlaying(false)}
          />
        )}
        {message && (
          <p
            className={`cc-preview__message${message === 'Off air' ? ' cc-preview__message--off' : ''}`}
            data-testid="preview-message"
          >
            {message}
          </p>
        )}
        {onAir && !message && !playing && (
          <p className="cc-preview__message cc-preview__message--dim">Joining the live edge…</p>
        )}
      </div>
      <div className="cc-preview__bar">
        <span className="eyebrow">Preview · proxy</span>
        <button
          type="button"
          className="button cc-button--small"
          data-testid="preview-mute"
          aria-pressed={!muted}
          title={muted ? 'Unmute the preview' : 'Mute the preview'}
          onClick={() => setMuted(!muted)}
        >
          {muted ? 'Unmute' : 'Mute'}
        </button>
      </div>
    </section>
  );
}
