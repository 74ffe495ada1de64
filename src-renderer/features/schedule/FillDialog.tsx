import { useState } from 'react';
import { useApi } from '../../app/api/use-api';
import type { ScheduleActions } from './actions';
import { useFolderList } from './library-queries';
import { Dialog } from '../../ui';
import { closeDialog, toast } from './store';
import { formatDayTime, formatLength } from './time';

type Props = {
  channelId: number;
  channelName: string;
  from: number;
  to: number;
  gap: boolean;
  actions: ScheduleActions;
};

/** Fill a gap, or every gap of a range, from a folder's ready assets. */
export function FillDialog({ channelId, channelName, from, to, gap, actions }: Props) {
  const api = useApi();
  const folders = useFolderList().data ?? [];
  const [folderId, setFolderId] = useState(1);
  const [recursive, setRecursive] = useState(true);
  const [order, setOrder] = useState<'ordered' | 'shuffled'>('ordered');
  const [noRepeatMin, setNoRepeatMin] = useState('0');
  const [seed, setSeed] = useState('1');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const fields = {
      folderId,
      recursive,
      order,
      noRepeatWithinMs: Math.max(0, Math.round(Number(noRepeatMin) * 60_000) || 0),
      seed: Math.max(0, Math.floor(Number(seed)) || 0),
    };
    setBusy(true);
    const result = await actions.run(gap ? 'Fill gap' : 'Fill range', () =>
      gap
        ? api.call('scheduleFillGap', {
            channelId,
            at: from + Math.floor((to - from) / 2),
            until: to,
            ...fields,
          })
        : api.call('scheduleFillRange', { channelId, from, to, ...fields }),
    );
    setBusy(false);
    if (!result) return;
    const fill = result as typeof result & {
      unfilled?: { start: number; end: number }[];
      repeats?: number;
    };
    const left = (fill.unfilled ?? []).reduce((sum, r) => sum + r.end - r.start, 0);
    toast(
      `Filled with ${result.changed.length} item(s)` +
        (left > 0 ? `; ${formatLength(left)} left empty` : '') +
        (fill.repeats ? `; ${fill.repeats} repeat(s)` : ''),
      'ok',
    );
    closeDialog();
  };

  return (
    <Dialog
      title={gap ? 'Fill gap' : 'Fill range'}
      testId="fill-dialog"
      onClose={closeDialog}
      onSubmit={() => void submit()}
      submitLabel="Fill"
      busy={busy}
    >
      <p className="muted">
        {channelName}: {formatDayTime(from)} → {formatDayTime(to)} ({formatLength(to - from)})
      </p>
      <label className="field">
        <span className="field__label">From folder</span>
        <select
          name="folder"
          value={folderId}
          onChange={(event) => setFolderId(Number(event.target.value))}
        >
          {folders.length === 0 && <option value={1}>Library</option>}
          {folders.map((folder) => (
            <option key={folder.id} value={folder.id}>
              {folder.parentId === null ? 'Library' : folder.name}
            </option>
          ))}
        </select>
      </label>
      <label className="sch-check">
        <input
          type="checkbox"
          checked={recursive}
          onChange={(event) => setRecursive(event.target.checked)}
        />
        Include sub-folders
      </label>
      <div className="sch-row">
        <label className="field">
          <span className="field__label">Order</span>
          <select
            name="order"
            value={order}
            onChange={(event) => setOrder(event.target.value as 'ordered' | 'shuffled')}
          >
            <option value="ordered">In order</option>
            <option value="shuffled">Shuffled</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">No repeat within (min)</span>
          <input
            name="noRepeat"
            inputMode="numeric"
            value={noRepeatMin}
            onChange={(event) => setNoRepeatMin(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">Seed</span>
          <input
            name="seed"
            inputMode="numeric"
            value={seed}
            onChange={(event) => setSeed(event.target.value)}
          />
        </label>
      </div>
    </Dialog>
  );
}
