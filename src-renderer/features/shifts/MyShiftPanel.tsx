import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useEffect } from 'react';
import { shiftKeys } from './keys';
import { useMyShift } from './queries';
import './shifts.css';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The signed-in person's shift: the handover notes of its channels first, then the sources and
 * channels it assigns. Outside a shift it says so, and whether the station lets them work anyway.
 */
export function MyShiftPanel({ zone }: { zone: string }) {
  const queryClient = useQueryClient();
  const { data } = useMyShift();
  // The answer changes by itself when the shift starts or ends: read it again at that moment.
  const boundary = data?.shift ? (data.onShift ? data.shift.end : data.shift.start) : null;
  useEffect(() => {
    if (boundary === null || !data) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(1000, boundary - data.now + 1000));
    const timer = setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: shiftKeys.mine }),
      wait,
    );
    return () => clearTimeout(timer);
  }, [boundary, data, queryClient]);
  if (!data) return null;
  const time = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('ccc dd LLL HH:mm');
  const { shift } = data;
  return (
    <section
      className="my-shift"
      aria-labelledby="my-shift-title"
      data-testid="my-shift"
      data-on-shift={data.onShift}
    >
      <h2 id="my-shift-title" className="eyebrow">
        My shift
      </h2>
      {data.onShift && shift ? (
        <p>
          <strong>On shift</strong> until {time(shift.end)}
        </p>
      ) : (
        <div className="my-shift__notice" role="status" data-testid="my-shift-outside">
          <strong>You are not on a shift now.</strong>{' '}
          {shift ? `Next: ${time(shift.start)}.` : 'No shift planned this week.'}{' '}
          {data.allowWorkOutsideShift
            ? 'You may still work; your time is counted.'
            : 'The station does not plan work outside shifts: ask a manager before you start.'}
        </div>
      )}
      {data.onShift &&
        data.handover.map((h) => (
          <div key={h.channelId} className="my-shift__handover" data-testid="my-shift-handover">
            <strong>Handover · {h.channelName}</strong> ({h.authorName}, {time(h.at)})
            <br />
            {h.text}
          </div>
        ))}
      {shift && (
        <>
          <h3 className="eyebrow">Sources</h3>
          {data.sources.length ? (
            <ul data-testid="my-shift-sources">
              {data.sources.map((s) => (
                <li key={s.id}>{s.name}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None assigned.</p>
          )}
          <h3 className="eyebrow">Channels</h3>
          {data.channels.length ? (
            <ul data-testid="my-shift-channels">
              {data.channels.map((c) => (
                <li key={c.id}>{c.name}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None assigned.</p>
          )}
        </>
      )}
    </section>
  );
}
