import Hls from 'hls.js';
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { AssetDetail } from '../../../src-shared/contract';
import { mediaAuthHeaders, mediaUrl, mediaUrlWithToken } from '../../app/api/media';
import { describeState, timecode } from './format';
import { closePreview } from './store';

type Filmstrip = NonNullable<AssetDetail['filmstrip']>;

const STRIP_HEIGHT = 48;

/** The sprite's tile for a moment, as CSS (background-position into the sprite sheet). */
function tileStyle(strip: Filmstrip, atMs: number, height: number) {
  const tiles = strip.columns * strip.rows;
  const tile = Math.max(0, Math.min(tiles - 1, Math.floor(atMs / Math.max(1, strip.intervalMs))));
  const scale = height / strip.tileHeight;
  const width = strip.tileWidth * scale;
  return {
    width,
    height,
    backgroundImage: `url("${mediaUrlWithToken(strip.url)}")`,
    backgroundSize: `${strip.columns * width}px ${strip.rows * height}px`,
    backgroundPosition: `${-(tile % strip.columns) * width}px ${-Math.floor(tile / strip.columns) * height}px`,
  };
}

/** Thumbnails along the clip; hover shows the frame, click or drag seeks there. */
function FilmstripBar({
  strip,
  durationMs,
  currentMs,
  onSeek,
}: {
  strip: Filmstrip;
  durationMs: number;
  currentMs: number;
  onSeek: (ms: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const tileWidth = (strip.tileWidth * STRIP_HEIGHT) / strip.tileHeight;
  const count = Math.max(1, Math.ceil(width / tileWidth));
  const msAt = (x: number) =>
    Math.max(0, Math.min(durationMs, (x / Math.max(1, width)) * durationMs));
  const xOf = (event: PointerEvent) =>
    event.clientX - (ref.current?.getBoundingClientRect().left ?? 0);

  const hoverMs = hoverX === null ? null : msAt(hoverX);
  return (
    <div
      ref={ref}
      className="filmstrip"
      data-testid="filmstrip"
      role="slider"
      tabIndex={0}
      aria-label="Filmstrip: click or drag to seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(durationMs / 1000)}
      aria-valuenow={Math.round(currentMs / 1000)}
      aria-valuetext={timecode(currentMs)}
      style={{ height: STRIP_HEIGHT }}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        setDragging(true);
        onSeek(msAt(xOf(event)));
      }}
      onPointerMove={(event) => {
        const x = xOf(event);
        setHoverX(x);
        if (dragging) onSeek(msAt(x));
      }}
      onPointerUp={(event) => {
        event.currentTarget.releasePointerCapture(event.pointerId);
        setDragging(false);
      }}
      onPointerLeave={() => setHoverX(null)}
      onKeyDown={(event) => {
        const step = event.shiftKey ? 10_000 : 1000;
        if (event.key === 'ArrowRight') onSeek(Math.min(durationMs, currentMs + step));
        else if (event.key === 'ArrowLeft') onSeek(Math.max(0, currentMs - step));
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      <div className="filmstrip__tiles" aria-hidden="true">
        {width > 0 &&
          Array.from({ length: count }, (_, i) => (
            <div
              key={i}
              className="filmstrip__tile"
              data-testid="filmstrip-tile"
              style={tileStyle(strip, ((i + 0.5) / count) * durationMs, STRIP_HEIGHT)}
            />
          ))}
      </div>
      <div
        className="filmstrip__playhead"
        style={{ left: `${(currentMs / Math.max(1, durationMs)) * 100}%` }}
        aria-hidden="true"
      />
      {hoverX !== null && hoverMs !== null && (
        <div
          className="filmstrip__hover"
          style={{ left: Math.max(0, Math.min(width - 160, hoverX - 80)) }}
          aria-hidden="true"
        >
          <div className="filmstrip__hover-frame" style={tileStyle(strip, hoverMs, 90)} />
          <span className="mono">{timecode(hoverMs)}</span>
        </div>
      )}
    </div>
  );
}

/** hls.js on the proxy rendition, authorised with the session token; destroyed on unmount. */
export function PreviewPlayer({ asset }: { asset: AssetDetail }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [currentMs, setCurrentMs] = useState(0);
  const [muted, setMuted] = useState(false);
  const proxy = asset.renditions.find((r) => r.kind === 'proxy') ?? asset.renditions[0];
  const playlist = asset.state === 'ready' && proxy ? proxy.playlistUrl : null;
  const durationMs = proxy?.durationMs || asset.durationMs || 0;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !playlist) return;
    if (Hls.isSupported()) {
      const hls = new Hls({
        // Every playlist and segment request carries the token; the URL stays clean.
        xhrSetup: (xhr, url) => {
          xhr.open('GET', url, true);
          for (const [name, value] of Object.entries(mediaAuthHeaders()))
            xhr.setRequestHeader(name, value);
        },
        backBufferLength: 30,
        maxBufferLength: 20,
      });
      let mediaRecoveries = 0;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
          mediaRecoveries += 1;
          hls.recoverMediaError();
          return;
        }
        const status = data.response?.code;
        setError(
          status === 401 || status === 403
            ? 'The server refused the preview (access token).'
            : status === 404
              ? 'The proxy rendition is missing on the server.'
              : `The preview cannot play (${data.details}).`,
        );
      });
      hls.loadSource(mediaUrl(playlist));
      hls.attachMedia(video);
      return () => hls.destroy();
    }
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      // Native HLS (Safari) cannot add headers: the token goes in the URL.
      video.src = mediaUrlWithToken(playlist);
      return () => {
        video.removeAttribute('src');
        video.load();
      };
    }
    setError('This browser cannot play HLS.');
  }, [playlist]);

  const seek = (ms: number) => {
    const video = videoRef.current;
    if (video) video.currentTime = ms / 1000;
    setCurrentMs(ms);
  };
  const toggle = () => {
    const video = videoRef.current;
    if (!video) return;
    if (video.paused)
      void video.play().catch((e: Error) => setError(`Playback was refused: ${e.message}`));
    else video.pause();
  };
  const step = (frames: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.pause();
    seek(Math.max(0, video.currentTime * 1000 + (frames * 1000) / 25));
  };

  return (
    <section
      className="preview-player"
      data-testid="preview-player"
      aria-label={`Preview of ${asset.name}`}
      onKeyDown={(event) => {
        if (event.key === ' ' && !(event.target instanceof HTMLButtonElement)) {
          event.preventDefault();
          toggle();
        } else if (event.key === 'Escape') closePreview();
      }}
    >
      <header className="preview-player__header">
        <h2 className="eyebrow">Preview · proxy</h2>
        <button
          type="button"
          className="tool-button tool-button--icon"
          aria-label="Close preview"
          onClick={closePreview}
          data-testid="preview-close"
        >
          ×
        </button>
      </header>
      <div className="preview-player__screen">
        {playlist ? (
          <video
            ref={videoRef}
            className="preview-player__video"
            data-testid="preview-video"
            playsInline
            muted={muted}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onTimeUpdate={(event) => setCurrentMs(event.currentTarget.currentTime * 1000)}
            onClick={toggle}
          />
        ) : (
          <p className="preview-player__message" data-testid="preview-unavailable">
            {asset.state === 'ready'
              ? 'This asset has no proxy rendition.'
              : `Not playable yet — ${describeState(asset)}`}
          </p>
        )}
        {error && (
          <p className="preview-player__error" role="alert" data-testid="preview-error">
            {error}
          </p>
        )}
      </div>
      {playlist && (
        <div className="preview-player__controls">
          <button
            type="button"
            className="tool-button tool-button--icon"
            aria-label="Previous frame"
            title="Previous frame"
            onClick={() => step(-1)}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M3 3h2v10H3zM13 3v10L6 8z" />
            </svg>
          </button>
          <button
            type="button"
            className="tool-button preview-player__play"
            aria-label={playing ? 'Pause' : 'Play'}
            data-testid="preview-play"
            onClick={toggle}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true" style={{ margin: '0 auto' }}>
              {playing ? <path d="M4 3h3v10H4zM9 3h3v10H9z" /> : <path d="M4 2.5v11L13 8z" />}
            </svg>
          </button>
          <button
            type="button"
            className="tool-button tool-button--icon"
            aria-label="Next frame"
            title="Next frame"
            onClick={() => step(1)}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M11 3h2v10h-2zM3 3v10l7-5z" />
            </svg>
          </button>
          <span className="preview-player__time mono" data-testid="preview-time">
            {timecode(currentMs)} / {timecode(durationMs)}
          </span>
          <button
            type="button"
            className="tool-button tool-button--icon"
            aria-pressed={muted}
            aria-label={muted ? 'Unmute' : 'Mute'}
            title={muted ? 'Unmute' : 'Mute'}
            onClick={() => setMuted(!muted)}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M2 6h3l4-3v10L5 10H2z" />
              {muted ? (
                <path d="m11 6 4 4m0-4-4 4" stroke="currentColor" strokeWidth="1.5" />
              ) : (
                <path
                  d="M11 5.5a3.5 3.5 0 0 1 0 5"
                  stroke="currentColor"
                  strokeWidth="1.5"
                  fill="none"
                />
              )}
            </svg>
          </button>
        </div>
      )}
      {playlist &&
        (asset.filmstrip ? (
          <FilmstripBar
            strip={asset.filmstrip}
            durationMs={durationMs}
            currentMs={currentMs}
            onSeek={seek}
          />
        ) : (
          <p className="muted preview-player__nostrip">No filmstrip for this asset.</p>
        ))}
    </section>
  );
}
