import { useEffect, useRef, type RefObject } from 'react';
import { meterFor, meterFraction, onAnimationFrame, type TileMeter } from './audio-meter';

/** Peak hold falls this many dB per second. */
const HOLD_FALL_DB_PER_S = 20;
/** The data-peak attribute (read by tests and the bench) is refreshed this often, not per frame. */
const ATTRIBUTE_EVERY_MS = 250;

/**
 * Two vertical bars (left, right) with peak hold, drawn on one canvas per tile from the shared
 * animation loop. Runs only while `running` (audio allowed and the tile playing).
 */
export function AudioMeter({
  videoRef,
  running,
  audible,
}: {
  videoRef: RefObject<HTMLVideoElement | null>;
  running: boolean;
  audible: boolean;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const meterRef = useRef<TileMeter | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    const canvas = canvasRef.current;
    if (!running || !video || !canvas) return;
    const meter = (meterRef.current ??= meterFor(video));
    // The room hears the tile only through the graph's gain, so the element itself plays unmuted.
    video.muted = false;
    const g = canvas.getContext('2d');
    if (!g) return;
    const holds = [-Infinity, -Infinity];
    let last = performance.now();
    let lastAttribute = 0;
    const stop = onAnimationFrame((now) => {
      const { left, right } = meter.read();
      const dt = (now - last) / 1000;
      last = now;
      const levels = [left, right];
      const { width, height } = canvas;
      g.clearRect(0, 0, width, height);
      const bar = Math.floor(width / 2) - 1;
      levels.forEach((db, i) => {
        holds[i] = Math.max(db, (holds[i] ?? -Infinity) - HOLD_FALL_DB_PER_S * dt);
        const x = i * (bar + 2);
        const h = Math.round(meterFraction(db) * height);
        g.fillStyle = db > -9 ? '#ffb020' : '#2bd17a';
        if (db > -1) g.fillStyle = '#e0322b';
        g.fillRect(x, height - h, bar, h);
        const hold = Math.round(meterFraction(holds[i]!) * height);
        if (hold > 0) {
          g.fillStyle = '#f3f5f9';
          g.fillRect(x, height - hold, bar, 2);
        }
      });
      if (now - lastAttribute > ATTRIBUTE_EVERY_MS) {
        lastAttribute = now;
        const peak = Math.max(left, right);
        canvas.dataset.peak = Number.isFinite(peak) ? peak.toFixed(1) : '-inf';
      }
    });
    return () => {
      stop();
      g.clearRect(0, 0, canvas.width, canvas.height);
      canvas.dataset.peak = '-inf';
      video.muted = true;
    };
  }, [videoRef, running]);

  useEffect(() => {
    if (running) meterRef.current?.setAudible(audible);
  }, [running, audible]);

  return (
    <canvas
      ref={canvasRef}
      className="wall-meter"
      width={14}
      height={120}
      data-testid="wall-meter"
      data-peak="-inf"
      aria-label="Audio level"
    />
  );
}
