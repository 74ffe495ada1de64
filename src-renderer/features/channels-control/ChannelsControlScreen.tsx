import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { PlayoutStatus } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { useClockStore } from '../clock/store';
import { useChannels } from '../schedule/queries';
import { useSettings } from '../settings/queries';
import { AsRunPanel } from './AsRunPanel';
import { applyStatus } from './cache';
import { ChannelList } from './ChannelList';
import { Controls } from './Controls';
import { liveView, type Zone } from './format';
import { LivePreview } from './LivePreview';
import { Alarms, NowNext, Rundown } from './OnAirPanel';
import { HandoverNote } from '../chat/HandoverNote';
import { MyShiftPanel } from '../shifts/MyShiftPanel';
import { keyQuery, OutputsPanel } from './OutputsPanel';
import { useOutputsSettings, usePlayoutStatus } from './queries';
import { selectChannel, setTab, useChannelsControl, type ControlTab } from './store';
import { TallyBadge } from '../../ui';
import { tallyOf } from './tally';
import './channels-control.css';

const tabs: { id: ControlTab; label: string }[] = [
  { id: 'control', label: 'On air' },
  { id: 'asrun', label: 'As-run' },
  { id: 'outputs', label: 'Outputs' },
];

/** A channel created after the status was read is asked for once (then events keep it). */
function useStatusOfNewChannels(ids: readonly number[], held: ReadonlyMap<number, PlayoutStatus>) {
  const api = useApi();
  const queryClient = useQueryClient();
  const asked = useRef(new Set<number>());
  const ready = held.size > 0 || ids.length === 0;
  useEffect(() => {
    if (!ready) return;
    for (const id of ids) {
      if (held.has(id) || asked.current.has(id)) continue;
      asked.current.add(id);
      void api.call('playoutStatus', { channelId: id }).then(
        ({ channels }) => channels.forEach((status) => applyStatus(queryClient, status)),
        () => asked.current.delete(id),
      );
    }
  }, [api, queryClient, ids, held, ready]);
}

function SelectedChannel({
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
  const tab = useChannelsControl((s) => s.tab);
  const outputs = useOutputsSettings();
  const view = liveView(status, coreNow);
  const tally = tallyOf(status);
  return (
    <div className="cc-detail" data-tally={tally}>
      <header className="cc-detail__header">
        <TallyBadge state={tally} large testId="detail-tally" />
        <h1 className="cc-detail__name" data-testid="detail-name">
          {status.name}
        </h1>
        <span className="muted mono">/{status.slug}</span>
        <div className="cc-tabs" role="tablist" aria-label="Channel views">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              className="cc-tab"
              data-testid={`tab-${t.id}`}
              aria-selected={tab === t.id}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      {/* The last shift's word on this channel, read before touching anything. */}
      <HandoverNote channelId={status.channelId} compact />
      {tab === 'control' && (
        <div className="cc-control" role="tabpanel" aria-label="On air">
          <div className="cc-control__top">
            {/* Keyed by channel: switching destroys the old player before the new one starts. */}
            <LivePreview
              key={status.channelId}
              slug={status.slug}
              onAir={status.onAir}
              keyQuery={keyQuery(outputs.data)}
            />
            <NowNext status={status} view={view} coreNow={coreNow} zone={zone} />
          </div>
          <Controls status={status} zone={zone} />
          <div className="cc-control__bottom">
            <Rundown view={view} coreNow={coreNow} zone={zone} />
            <Alarms status={status} zone={zone} />
          </div>
        </div>
      )}
      {tab === 'asrun' && (
        <div role="tabpanel" aria-label="As-run">
          <AsRunPanel status={status} zone={zone} coreNow={coreNow} fps={fps} />
        </div>
      )}
      {tab === 'outputs' && (
        <div role="tabpanel" aria-label="Outputs">
          <OutputsPanel status={status} />
        </div>
      )}
    </div>
  );
}

/** "On air": every channel's tally and the selected one's air, controls and logs. */
export function ChannelsControlScreen() {
  const channels = useChannels();
  const status = usePlayoutStatus();
  const settings = useSettings().data;
  const coreNow = useClockStore((s) => s.coreNow);
  const selectedId = useChannelsControl((s) => s.selectedId);

  const byId = useMemo(
    () => new Map((status.data?.channels ?? []).map((c) => [c.channelId, c])),
    [status.data],
  );
  const list = useMemo(
    () =>
      [...(channels.data ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.number - b.number),
    [channels.data],
  );
  const ids = useMemo(() => list.map((c) => c.id), [list]);
  useStatusOfNewChannels(ids, byId);

  const selected = list.find((c) => c.id === selectedId) ?? list[0];
  useEffect(() => {
    if (selected && selected.id !== selectedId) selectChannel(selected.id);
  }, [selected, selectedId]);

  if (!settings) return <div className="cc-screen muted">Loading station settings…</div>;
  const zone: Zone = { timeZone: settings.timeZone, clockFormat: settings.clockFormat };
  const error = channels.error ?? status.error;
  const selectedStatus = selected ? byId.get(selected.id) : undefined;

  return (
    <div className="cc-screen" data-testid="channels-control-screen">
      {error && <p className="form-error">{error.message}</p>}
      <aside className="cc-side">
        <MyShiftPanel zone={settings.timeZone} />
        <h2 className="eyebrow">Channels</h2>
        {list.length === 0 && channels.isSuccess ? (
          <p className="muted">
            No channel yet. Create one on the <a href="#/schedule">Schedule</a> screen.
          </p>
        ) : (
          <ChannelList
            channels={list}
            statuses={byId}
            selectedId={selected?.id ?? null}
            coreNow={coreNow}
            zone={zone}
          />
        )}
      </aside>
      {selectedStatus ? (
        <SelectedChannel
          status={selectedStatus}
          zone={zone}
          coreNow={coreNow}
          fps={settings.houseProfile.fps}
        />
      ) : (
        <div className="cc-detail muted">{selected ? 'Loading the channel…' : ''}</div>
      )}
    </div>
  );
}
