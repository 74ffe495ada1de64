import { useRef, useState } from 'react';
import { useApi } from '../../app/api/use-api';
import type { ScheduleActions } from './actions';
import { Dialog, saveFile } from '../../ui';
import { errorText } from './model';
import { closeDialog, toast } from './store';
import { stationDate } from './time';

/** Export the visible range as CSV/JSON (download) or import a file into the channel. */
export function TransferDialog({
  channelId,
  channelName,
  from,
  to,
  actions,
}: {
  channelId: number;
  channelName: string;
  from: number;
  to: number;
  actions: ScheduleActions;
}) {
  const api = useApi();
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [mode, setMode] = useState<'merge' | 'replace-range'>('merge');
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const exportRange = async () => {
    try {
      const { text, count } = await api.call('scheduleExport', { channelId, from, to, format });
      saveFile(
        `${channelName.replace(/[^\w-]+/g, '_')}-${stationDate(from)}.${format}`,
        format === 'csv' ? 'text/csv' : 'application/json',
        text,
      );
      toast(`Exported ${count} item(s)`, 'ok');
    } catch (e) {
      setError(errorText(e));
    }
  };

  const importFile = async () => {
    const chosen = file.current?.files?.[0];
    if (!chosen) return setError('Choose a file first.');
    const text = await chosen.text();
    const fileFormat = chosen.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    setError(null);
    const result = await actions.run('Import', () =>
      api.call('scheduleImport', { channelId, format: fileFormat, text, mode }),
    );
    if (result) {
      toast(`Imported ${result.changed.length} item(s)`, 'ok');
      closeDialog();
    }
  };

  return (
    <Dialog title="Import / export" testId="transfer-dialog" onClose={closeDialog}>
      {error && <p className="form-error">{error}</p>}
      <h3 className="eyebrow">Export {channelName}, visible range</h3>
      <div className="sch-row">
        <select
          aria-label="Format"
          value={format}
          onChange={(e) => setFormat(e.target.value as 'csv' | 'json')}
        >
          <option value="csv">CSV</option>
          <option value="json">JSON</option>
        </select>
        <button type="button" className="button" onClick={() => void exportRange()}>
          Download
        </button>
      </div>
      <h3 className="eyebrow">Import into {channelName}</h3>
      <div className="sch-row">
        <input ref={file} type="file" accept=".csv,.json,text/csv,application/json" />
        <select
          aria-label="Mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as 'merge' | 'replace-range')}
        >
          <option value="merge">Merge (refuse clashes)</option>
          <option value="replace-range">Replace the file&apos;s range</option>
        </select>
        <button type="button" className="button" onClick={() => void importFile()}>
          Import
        </button>
      </div>
      <p className="muted">Row errors from the core are listed one per line.</p>
    </Dialog>
  );
}
