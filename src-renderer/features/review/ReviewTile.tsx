import { memo, useEffect, useRef, useState } from 'react';
import type { RecordedSource } from '../../../src-shared/contract';
import { useOnScreen } from '../../app/media/use-on-screen';
import { useClockStore } from '../clock/store';
import {
  deskPlayers,
  playlistUrls,
  renditionFor,
  startAirTime,
  windowStartFor,
} from './desk-players';
import { playingOf, speedOf, useDesk } from './desk-store';
import {
  borrowPlayer,
  returnPlayer,
  type PlayerSnapshot,
  type ReviewPlayer,
} from './review-player';

/** How often a tile's readout (air time, state) follows its player. */
const READOUT_MS = 250;

export type ReviewTileProps = {
  index: number;
  source: RecordedSource | undefined;
  sourceId: number | null;
  formatTime(at: number): string;
  onFocus(index: number): void;
};

/**
 * One tile of the desk: a pooled player showing one recorded source. The tile borrows a player
 * when it appears and gives it back when it goes; a source or speed change loads another
 * playlist into the same player at the same air time.
 */
export const ReviewTile = memo(function ReviewTile(props: ReviewTileProps) {
  const { index, source, sourceId, formatTime } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const slotRef = useRef<HTMLDivElement>(null);
  const [player, setPlayer] = useState<ReviewPlayer | null>(null);
  const [snap, setSnap] = useState<PlayerSnapshot | null>(null);
  const visible = useOnScreen(rootRef);
  const focused = useDesk((s) => s.focused === index);
  const speed = useDesk((s) => speedOf(s, index));
  const playing = useDesk((s) => playingOf(s, index));
  const rendition = renditionFor(speed);
  const opened = useRef<{ sourceId: number; windowStart: number } | null>(null);

  useEffect(() => {
    const borrowed = borrowPlayer();
    slotRef.current!.appendChild(borrowed.video);
    deskPlayers.set(index, borrowed);
    setPlayer(borrowed);
    const timer = setInterval(() => setSnap(borrowed.state), READOUT_MS);
    return () => {
      clearInterval(timer);
      if (deskPlayers.get(index) === borrowed) deskPlayers.delete(index);
      opened.current = null;
      returnPlayer(borrowed);
    };
  }, [index]);

  // Source or rendition: same player, another playlist, same air time.
  useEffect(() => {
    if (!player || !source) return;
    const { locked, focused: leader } = useDesk.getState();
    const same = opened.current?.sourceId === source.id;
    const at = (same ? player.frameAirTime() : null) ?? startAirTime(index, source, locked, leader);
    const windowStart =
      same && opened.current!.windowStart <= at
        ? opened.current!.windowStart
        : windowStartFor(source, at);
    opened.current = { sourceId: source.id, windowStart };
    const now = Date.now() + useClockStore.getState().offsetMs;
    const { url, fallback } = playlistUrls(source.id, windowStart, rendition, now);
    player.open(url, at, fallback);
    // Reopened only when the source or the rendition changes.
  }, [player, source?.id, rendition]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!player) return;
    if (!source) {
      player.release();
      slotRef.current?.appendChild(player.video);
      opened.current = null;
    }
  }, [player, source]);

  useEffect(() => player?.setRate(speed), [player, speed]);
  useEffect(() => player?.setPlaying(playing), [player, playing]);
  useEffect(() => player?.setAudible(focused), [player, focused]);
  useEffect(() => player?.setSuspended(!visible), [player, visible]);

  const status = source ? (snap?.status ?? 'loading') : 'idle';
  const air = snap?.airTime ?? null;
  const message = !sourceId
    ? 'No source: pick one above'
    : !source
      ? 'Source removed'
      : status === 'problem'
        ? (snap?.problem ?? 'Cannot play')
        : status === 'loading'
          ? 'Loading…'
          : null;

  return (
    <div
      ref={rootRef}
      className={`review-tile${focused ? ' review-tile--focused' : ''}`}
      data-testid="review-tile"
      data-index={index}
      data-source={source?.id ?? ''}
      data-status={status}
      data-air-time={air === null ? '' : Math.round(air)}
      data-stalls={snap?.stalls ?? 0}
      data-speed={speed}
      data-rendition={rendition}
      data-focused={focused ? 'yes' : 'no'}
      data-muted={focused ? 'no' : 'yes'}
      role="group"
      aria-label={`Tile ${index + 1}: ${source?.name ?? 'empty'}${focused ? ' (focused, heard)' : ''}`}
      onPointerDown={() => props.onFocus(index)}
    >
      <div ref={slotRef} className="review-tile__picture" />
      {message && <p className="review-tile__message">{message}</p>}
      <div className="review-tile__bar">
        <span className="review-tile__number">{index + 1}</span>
        <span className="review-tile__name">{source?.name ?? '—'}</span>
        <span className="review-tile__time" data-testid="review-tile-time">
          {air === null ? '--:--:--' : formatTime(air)}
        </span>
        <span className="review-tile__speed">
          {playing ? '▶' : '❚❚'} {speed}×{rendition === 'fast' ? ' (fast)' : ''}
        </span>
        {focused && <span className="review-tile__heard">♪ heard</span>}
      </div>
    </div>
  );
});
