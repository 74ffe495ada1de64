import { DateTime } from 'luxon';
import { useState } from 'react';
import type { Channel } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import type { ScheduleActions } from './actions';
import { Dialog } from '../../ui';
import { closeDialog, toast } from './store';
import { stationDate } from './time';

/** Copy a day (or a week) of one channel to other dates, optionally onto another channel. */
export function CopyDialog({
  channels,
  channelId,
  date,
  actions,
}: {
  channels: Channel[];
  channelId: number | null;
  date: number;
  actions: ScheduleActions;
}) {
  const api = useApi();
  const [source, setSource] = useState(channelId ?? channels[0]?.id ?? 0);
  const [target, setTarget] = useState(channelId ?? channels[0]?.id ?? 0);
  const [sourceDate, setSourceDate] = useState(stationDate(date));
  const [days, setDays] = useState(1);
  const [fromDate, setFromDate] = useState(
    DateTime.fromMillis(date).plus({ days: 1 }).toISODate() ?? '',
  );
  const [count, setCount] = useState('1');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);

  const targetDates = () => {
    const start = DateTime.fromISO(fromDate);
    const n = Math.max(1, Math.min(366, Math.floor(Number(count)) || 1));
    return Array.from({ length: n }, (_, i) => start.plus({ days: i * days }).toISODate() ?? '');
  };

  const submit = async () => {
    setBusy(true);
    const result = await actions.run(days === 7 ? 'Copy week' : 'Copy day', () =>
      api.call('scheduleCopyDays', {
        channelId: source,
        sourceDate,
        days,
        targetDates: targetDates(),
        ...(target !== source ? { targetChannelId: target } : {}),
        replace,
      }),
    );
    setBusy(false);
    if (result) {
      toast(`Copied ${result.changed.length} item(s)`, 'ok');
      closeDialog();
    }
  };

  return (
    <Dialog
      title="Copy day or week"
      testId="copy-dialog"
      onClose={closeDialog}
      onSubmit={() => void submit()}
      submitLabel="Copy"
      busy={busy}
    >
      <div className="sch-row">
        <label className="field">
          <span className="field__label">From channel</span>
          <select value={source} onChange={(e) => setSource(Number(e.target.value))}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Source date</span>
          <input type="date" value={sourceDate} onChange={(e) => setSourceDate(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Copy</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>One day</option>
            <option value={7}>One week</option>
          </select>
        </label>
      </div>
      <div className="sch-row">
        <label className="field">
          <span className="field__label">To channel</span>
          <select value={target} onChange={(e) => setTarget(Number(e.target.value))}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">First target date</span>
          <input type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Times</span>
          <input inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
        </label>
      </div>
      <label className="sch-check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
        Replace what is on the target days
      </label>
      <p className="muted">Targets: {targetDates().join(', ')}</p>
    </Dialog>
  );
}
