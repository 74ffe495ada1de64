import { useMemo } from 'react';
import type { PlayoutAlarm, PlayoutStatus } from '../../../src-shared/contract';
import { countdown, length, stationClock, withGaps, type LiveView, type Zone } from './format';
import { useChannelsControl } from './store';

const MAX_RUNDOWN_ROWS = 300;

function KindBadge({ kind }: { kind: 'programme' | 'slate' }) {
  return <span className={`cc-kind cc-kind--${kind}`}>{kind}</span>;
}

export function NowNext({
  status,
  view,
  coreNow,
  zone,
}: {
  status: PlayoutStatus;
  view: LiveView;
  coreNow: number | null;
  zone: Zone;
}) {
  const { now, next } = view;
  const onAir = status.onAir;
  const elapsed = now && coreNow !== null ? coreNow - now.startsAt : null;
  const total = now ? now.endsAt - now.startsAt : 0;
  const remaining = now && coreNow !== null ? now.endsAt - coreNow : null;
  const progress = elapsed !== null && total > 0 ? Math.min(1, Math.max(0, elapsed / total)) : 0;
  return (
    <div className="cc-nownext">
      <section
        className={`cc-now${onAir ? (status.held ? ' cc-now--held' : ' cc-now--live') : ''}`}
        aria-label="Now"
      >
        <header className="cc-now__header">
          <h2 className="eyebrow">
            {onAir ? (status.held ? 'Now · held' : 'Now') : 'Now · off air'}
          </h2>
          {now && <KindBadge kind={status.held ? 'slate' : now.kind} />}
        </header>
        <p className="cc-now__title" data-testid="now-title">
          {onAir ? (now?.title ?? 'Nothing scheduled') : 'Off air'}
        </p>
        {!onAir && now && <p className="muted">Scheduled now: {now.title}</p>}
        {now && (
          <>
            <div
              className="cc-progress"
              role="progressbar"
              aria-label="Programme progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(progress * 100)}
            >
              <div className="cc-progress__bar" style={{ width: `${progress * 100}%` }} />
            </div>
            <dl className="cc-now__times">
              <div>
                <dt>Started</dt>
                <dd className="mono">{stationClock(now.startsAt, zone)}</dd>
              </div>
              <div>
                <dt>Elapsed</dt>
                <dd className="mono">{elapsed === null ? '--:--' : countdown(elapsed)}</dd>
              </div>
              <div>
                <dt>Length</dt>
                <dd className="mono">{length(total)}</dd>
              </div>
              <div className="cc-now__remaining">
                <dt>Remaining</dt>
                <dd className="mono" data-testid="now-remaining">
                  {remaining === null ? '--:--' : `−${countdown(remaining)}`}
                </dd>
              </div>
            </dl>
          </>
        )}
        {status.held && status.heldSince !== null && (
          <p className="cc-held-note">
            Held on slate since {stationClock(status.heldSince, zone)}
            {coreNow !== null ? ` (${countdown(coreNow - status.heldSince)})` : ''} — Release
            resumes the programme where it left off.
          </p>
        )}
      </section>
      <section className="cc-next" aria-label="Next">
        <header className="cc-now__header">
          <h2 className="eyebrow">Next</h2>
          {next && <KindBadge kind={next.kind} />}
        </header>
        <p className="cc-next__title" data-testid="next-title">
          {next?.title ?? 'Nothing scheduled'}
        </p>
        {next && (
          <>
            <p className="cc-next__countdown mono" data-testid="next-countdown">
              {coreNow === null ? '--:--' : `−${countdown(next.startsAt - coreNow)}`}
            </p>
            <p className="muted mono">
              at {stationClock(next.startsAt, zone)} · {length(next.endsAt - next.startsAt)}
            </p>
          </>
        )}
      </section>
    </div>
  );
}

/** The next six hours as the core plans them, gaps shown as the slate that will fill them. */
export function Rundown({
  view,
  coreNow,
  zone,
}: {
  view: LiveView;
  coreNow: number | null;
  zone: Zone;
}) {
  const rows = useMemo(
    () =>
      withGaps(view.now ? [view.now, ...view.later] : view.later, view.now?.startsAt ?? coreNow),
    // The row list changes with the programmes, not with every clock tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view.now, view.later],
  );
  const shown = rows.slice(0, MAX_RUNDOWN_ROWS);
  return (
    <section className="cc-rundown" aria-label="Rundown, next 6 hours">
      <h2 className="eyebrow">Rundown · next 6 h</h2>
      <div className="cc-rundown__scroll">
        <table className="ui-table cc-table" aria-label="Rundown" data-testid="rundown">
          <thead>
            <tr>
              <th>Start</th>
              <th>Title</th>
              <th>Length</th>
              <th>Kind</th>
              <th>In</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const current = row === shown[0] && view.now !== null && !row.gap;
              return (
                <tr
                  key={`${row.startsAt}-${row.itemId ?? 'x'}-${row.gap ? 'gap' : ''}`}
                  className={`${row.kind === 'slate' ? 'cc-row--slate' : ''}${current ? ' cc-row--current' : ''}`}
                  data-kind={row.kind}
                >
                  <td className="mono">{stationClock(row.startsAt, zone)}</td>
                  <td title={row.title}>{row.title}</td>
                  <td className="mono">{length(row.endsAt - row.startsAt)}</td>
                  <td>{current ? <span className="cc-onair-pill">on air</span> : row.kind}</td>
                  <td className="mono muted">
                    {current || coreNow === null ? '' : `−${countdown(row.startsAt - coreNow)}`}
                  </td>
                </tr>
              );
            })}
            {shown.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing scheduled in the next six hours: slate fills the air.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length && (
        <p className="muted">… and {rows.length - shown.length} more in the next six hours.</p>
      )}
    </section>
  );
}

const NO_ALARMS: PlayoutAlarm[] = [];

export function Alarms({ status, zone }: { status: PlayoutStatus; zone: Zone }) {
  const seen = useChannelsControl((s) => s.alarms[status.channelId] ?? NO_ALARMS);
  const list = useMemo(() => {
    const last = status.lastAlarm;
    if (!last || seen.some((a) => a.at === last.at && a.kind === last.kind)) return seen;
    return [last, ...seen];
  }, [seen, status.lastAlarm]);
  return (
    <section className="cc-alarms" aria-label="Alarms" data-testid="alarms">
      <h2 className="eyebrow">Alarms</h2>
      {list.length === 0 ? (
        <p className="muted">No alarm.</p>
      ) : (
        <ul>
          {list.map((alarm) => (
            <li key={`${alarm.at}-${alarm.kind}-${alarm.itemId ?? ''}`} className="cc-alarm">
              <span className="mono">{stationClock(alarm.at, zone)}</span>
              <span className="cc-alarm__kind">{alarm.kind.replace(/_/g, ' ')}</span>
              <span>{alarm.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
