import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { AsRunRow, PlayoutStatus } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { saveFile } from '../../ui';
import {
  difference,
  length,
  stationClock,
  stationDate,
  stationDayRange,
  type Zone,
} from './format';
import { useAsRun } from './queries';
import { setAsRunDate, useChannelsControl } from './store';

const ROW_HEIGHT = 34;

function AsRunLine({
  row,
  zone,
  fps,
  index,
  measure,
}: {
  row: AsRunRow;
  zone: Zone;
  fps: number;
  index: number;
  measure: (element: Element | null) => void;
}) {
  const diff = row.scheduledAt === null ? null : row.airedAt - row.scheduledAt;
  const action = row.kind === 'action';
  return (
    <tr
      ref={measure}
      data-index={index}
      className={`cc-asrun--${row.kind}`}
      data-kind={row.kind}
      data-testid={`asrun-row-${row.id}`}
    >
      <td className="mono">{stationClock(row.airedAt, zone)}</td>
      <td className="mono">
        {row.scheduledAt === null ? '—' : stationClock(row.scheduledAt, zone)}
      </td>
      <td className={`mono${diff !== null && Math.abs(diff) >= 1000 ? ' cc-late' : ''}`}>
        {diff === null ? '—' : difference(diff, fps)}
      </td>
      <td>{row.kind}</td>
      <td>{row.title}</td>
      <td className="mono">{action ? '—' : length(row.durationMs)}</td>
      <td className="muted">{row.note ?? ''}</td>
    </tr>
  );
}

/** What actually aired on one station day, live-appended, exportable as CSV. */
export function AsRunPanel({
  status,
  zone,
  coreNow,
  fps,
}: {
  status: PlayoutStatus;
  zone: Zone;
  coreNow: number | null;
  fps: number;
}) {
  const api = useApi();
  const chosen = useChannelsControl((s) => s.asRunDate);
  const today = coreNow === null ? null : stationDate(coreNow, zone.timeZone);
  const date = chosen ?? today;
  const range = date ? stationDayRange(date, zone.timeZone) : null;
  const asRun = useAsRun(range ? { channelId: status.channelId, ...range } : null);
  const [exporting, setExporting] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const rows = asRun.data?.rows ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  // A day of short items is thousands of rows: only the visible ones are in the DOM.
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);

  const exportCsv = async () => {
    if (!range || !date) return;
    setExporting({ busy: true, error: null });
    try {
      const { text } = await api.call('asRunExport', { channelId: status.channelId, ...range });
      saveFile(`asrun-${status.slug}-${date}.csv`, 'text/csv;charset=utf-8', text);
      setExporting({ busy: false, error: null });
    } catch (error) {
      setExporting({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="cc-asrun" aria-label="As-run log">
      <div className="cc-asrun__toolbar">
        <label className="cc-inline-field">
          <span className="eyebrow">Day ({zone.timeZone})</span>
          <input
            type="date"
            data-testid="asrun-date"
            value={date ?? ''}
            onChange={(event) => setAsRunDate(event.target.value || null)}
          />
        </label>
        {chosen && chosen !== today && (
          <button
            type="button"
            className="button cc-button--small"
            onClick={() => setAsRunDate(null)}
          >
            Today
          </button>
        )}
        <span className="muted">
          {rows.length} {rows.length === 1 ? 'entry' : 'entries'}
        </span>
        <button
          type="button"
          className="button button--primary cc-asrun__export"
          data-testid="asrun-export"
          disabled={!range || exporting.busy}
          onClick={() => void exportCsv()}
        >
          {exporting.busy ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {exporting.error && <p className="form-error">{exporting.error}</p>}
      {asRun.isError && <p className="form-error">{asRun.error.message}</p>}
      <div className="cc-asrun__scroll" ref={scrollRef}>
        <table className="ui-table cc-table" aria-label="As-run log" data-testid="asrun-table">
          <thead>
            <tr>
              <th>Aired</th>
              <th>Scheduled</th>
              <th>Difference</th>
              <th>Kind</th>
              <th>Title</th>
              <th>Duration</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td colSpan={7} style={{ height: top, padding: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              return (
                <AsRunLine
                  key={row.id}
                  row={row}
                  zone={zone}
                  fps={fps}
                  index={item.index}
                  measure={virtual.measureElement}
                />
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={7} style={{ height: bottom, padding: 0 }} />
              </tr>
            )}
            {asRun.isSuccess && rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  Nothing aired on this channel that day.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
