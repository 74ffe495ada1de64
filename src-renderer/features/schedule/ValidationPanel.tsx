import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/api/use-api';
import { jumpTo, toggleValidation } from './store';
import { formatDayTime, formatLength } from './time';

/**
 * Gaps, overlaps, media problems and DST-crossing items of one channel over the visible range.
 * Re-asked whenever that channel's schedule version moves (from events), never on a timer.
 */
export function ValidationPanel({
  channelId,
  channelName,
  from,
  to,
  scheduleVersion,
}: {
  channelId: number;
  channelName: string;
  from: number;
  to: number;
  scheduleVersion: number;
}) {
  const api = useApi();
  const report = useQuery({
    queryKey: ['schedule', 'validate', channelId, from, to, scheduleVersion],
    queryFn: () => api.call('scheduleValidate', { channelId, from, to }),
  });
  const data = report.data;
  return (
    <aside className="sch-validation" data-testid="validation-panel" aria-label="Validation">
      <div className="sch-validation__head">
        <h2 className="eyebrow">Check · {channelName}</h2>
        <button type="button" className="button sch-small" onClick={toggleValidation}>
          Close
        </button>
      </div>
      {report.isError && <p className="form-error">{report.error.message}</p>}
      {data && (
        <>
          <p className={data.ok ? 'form-ok' : 'sch-warn'} data-testid="validation-status">
            {data.ok
              ? 'No problems in this range.'
              : `${data.gaps.length} gap(s), ${data.overlaps.length} overlap(s), ${data.media.length} media problem(s)`}
          </p>
          <ul className="sch-validation__list">
            {data.gaps.map((gap) => (
              <li key={`g${gap.start}`}>
                <button type="button" onClick={() => jumpTo(gap.start, channelId)}>
                  <b>Gap</b> {formatDayTime(gap.start)} · {formatLength(gap.durationMs)}
                </button>
              </li>
            ))}
            {data.overlaps.map((o) => (
              <li key={`o${o.a}-${o.b}`}>
                <button type="button" onClick={() => jumpTo(o.start, channelId)}>
                  <b>Overlap</b> {formatDayTime(o.start)} · {formatLength(o.durationMs)}
                </button>
              </li>
            ))}
            {data.media.map((m) => (
              <li key={`m${m.itemId}`}>
                <span>
                  <b>Media</b> #{m.itemId}: {m.message}
                </span>
              </li>
            ))}
            {data.dst.map((d) => (
              <li key={`d${d.itemId}`}>
                <button type="button" onClick={() => jumpTo(d.at, channelId)}>
                  <b>DST</b> {formatDayTime(d.at)} · clock moves{' '}
                  {formatLength(Math.abs(d.offsetAfterMs - d.offsetBeforeMs))}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
