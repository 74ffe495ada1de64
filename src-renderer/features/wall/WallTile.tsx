import { memo, useRef } from 'react';
import {
  alarmNeedsAttention,
  type Alarm,
  type MonitorSource,
  type PlayoutStatus,
} from '../../../src-shared/contract';
import { mediaUrl } from '../../app/api/media';
import { tallyLabel } from '../../ui';
import { tallyOf } from '../channels-control/tally';
import { AudioMeter } from './AudioMeter';
import { countdown } from './format';
import { useTilePlayer } from './use-tile-player';
import { useOnScreen } from '../../app/media/use-on-screen';

export type TileSource =
  | { kind: 'channel'; status: PlayoutStatus | undefined; channelId: number }
  | { kind: 'stream'; source: MonitorSource | undefined; sourceId: number };

export type TileProps = {
  index: number;
  tile: TileSource;
  alarms: readonly Alarm[];
  /** `?key=…` of the public outputs, '' when none is required. */
  keyQuery: string;
  now: number | null;
  clock: string;
  soloed: boolean;
  hidden: boolean;
  audioRunning: boolean;
  onSolo(index: number): void;
  onEnlarge(index: number): void;
  onAcknowledge(alarmId: number): void;
};

function describe(tile: TileSource, keyQuery: string) {
  if (tile.kind === 'channel') {
    const status = tile.status;
    return {
      key: `channel:${tile.channelId}`,
      name: status?.name ?? `Channel ${tile.channelId} (gone)`,
      playable: Boolean(status?.onAir),
      url: status
        ? mediaUrl(`/channels/${encodeURIComponent(status.slug)}/proxy.m3u8${keyQuery}`)
        : null,
      tally: tallyOf(status),
    };
  }
  const source = tile.source;
  return {
    key: `stream:${tile.sourceId}`,
    name: source?.name ?? `Stream ${tile.sourceId} (removed)`,
    playable: Boolean(source?.enabled),
    url: source?.url ?? null,
    tally: null,
  };
}

/**
 * One monitor on the wall: the picture, the under-monitor display (name, now and next,
 * countdown to next, clock), tally, audio meters and alarm badges. Click to hear it (solo);
 * double-click to show it alone.
 */
export const WallTile = memo(function WallTile(props: TileProps) {
  const { tile, alarms, keyQuery, now, clock, soloed, hidden, audioRunning, index } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const visible = useOnScreen(rootRef) && !hidden;
  const info = describe(tile, keyQuery);
  const player = useTilePlayer(videoRef, info.playable ? info.url : null, visible);
  const status = tile.kind === 'channel' ? tile.status : undefined;
  const nextIn = status?.next && now !== null ? countdown(status.next.startsAt - now) : null;
  const playing = player.kind === 'playing';

  const message = !info.playable
    ? tile.kind === 'channel'
      ? 'Off air'
      : 'Paused'
    : player.kind === 'problem'
      ? player.text
      : player.kind === 'joining'
        ? 'Joining…'
        : null;

  return (
    <div
      ref={rootRef}
      className={`wall-tile${soloed ? ' wall-tile--solo' : ''}${hidden ? ' wall-tile--hidden' : ''}${
        info.tally === 'on-air' ? ' wall-tile--on-air' : ''
      }`}
      data-testid="wall-tile"
      data-source={info.key}
      data-tally={info.tally ?? 'stream'}
      data-loading={visible && info.playable ? 'on' : 'off'}
      data-playing={playing ? 'yes' : 'no'}
      data-solo={soloed ? 'yes' : 'no'}
      // A group, not a button: the tile holds its own alarm buttons, and controls must not nest.
      // Focused, Space hears it and Enter shows it alone, as a click and a double-click do.
      role="group"
      aria-roledescription="monitor"
      tabIndex={0}
      aria-label={`${info.name}${soloed ? ' (heard)' : ''}`}
      aria-keyshortcuts="Space Enter"
      onClick={() => props.onSolo(index)}
      onDoubleClick={() => props.onEnlarge(index)}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.key === 'Enter') props.onEnlarge(index);
        if (e.key === ' ') {
          e.preventDefault();
          props.onSolo(index);
        }
      }}
    >
      <div className="wall-tile__picture">
        <video ref={videoRef} className="wall-tile__video" muted playsInline autoPlay />
        {message && <p className="wall-tile__message">{message}</p>}
        <div className="wall-tile__meters">
          <AudioMeter videoRef={videoRef} running={audioRunning && playing} audible={soloed} />
        </div>
        {alarms.length > 0 && (
          <ul className="wall-tile__alarms" aria-label="Alarms">
            {alarms.map((alarm) => {
              const attention = alarmNeedsAttention(alarm);
              return (
                <li key={alarm.id}>
                  <button
                    type="button"
                    className={`wall-alarm wall-alarm--${alarm.severity}${attention ? ' wall-alarm--attention' : ''}`}
                    data-testid="wall-alarm"
                    data-kind={alarm.kind}
                    data-acknowledged={attention ? 'no' : 'yes'}
                    title={`${alarm.message}${attention ? ' — click to acknowledge' : ' (acknowledged)'}`}
                    disabled={!attention}
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onAcknowledge(alarm.id);
                    }}
                  >
                    {alarm.kind}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {soloed && <span className="wall-tile__heard">♪</span>}
      </div>
      <div className="wall-umd" data-testid="wall-umd">
        {info.tally ? (
          <span
            className={`wall-tally wall-tally--${info.tally}`}
            data-testid="wall-tally"
            data-state={info.tally}
          >
            {tallyLabel(info.tally)}
          </span>
        ) : (
          <span
            className="wall-tally wall-tally--stream"
            data-testid="wall-tally"
            data-state={tile.kind === 'stream' ? (tile.source?.state ?? 'stopped') : 'off'}
          >
            {tile.kind === 'stream' ? (tile.source?.state ?? 'gone').toUpperCase() : ''}
          </span>
        )}
        <span className="wall-umd__name" data-testid="wall-name">
          {info.name}
        </span>
        <span className="wall-umd__clock">{clock}</span>
        <span className="wall-umd__now" data-testid="wall-now">
          {status?.now?.title ?? (tile.kind === 'stream' ? 'Outside stream' : '—')}
        </span>
        <span className="wall-umd__next" data-testid="wall-next">
          {status?.next ? (
            <>
              Next <b>{status.next.title}</b> in <b data-testid="wall-countdown">{nextIn}</b>
            </>
          ) : (
            ''
          )}
        </span>
      </div>
    </div>
  );
});
