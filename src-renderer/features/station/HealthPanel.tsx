import type { Health } from '../../../src-shared/contract';
import { useClockStore } from '../clock/store';
import { useConnectionStore } from '../connection/store';
import { describeFfmpegSource, formatBytes, formatLoad, formatUptime } from './format';
import { Panel, Readout } from './Panel';
import { useAppInfo, useHealth } from './queries';
import { StatusBadge } from './StatusBadge';

function DatabaseCard({ db }: { db: Health['db'] }) {
  return (
    <Panel
      title="Database"
      testId="health-db"
      aside={<StatusBadge ok={db.ok}>{db.ok ? 'OK' : 'FAULT'}</StatusBadge>}
    >
      <Readout label="Schema" value={`v${db.schemaVersion}`} detail={db.path} />
    </Panel>
  );
}

function FfmpegCard({ ffmpeg }: { ffmpeg: Health['ffmpeg'] }) {
  const found = Boolean(ffmpeg.path && ffmpeg.version);
  return (
    <Panel
      title="FFmpeg"
      testId="health-ffmpeg"
      aside={<StatusBadge ok={found}>{found ? 'READY' : 'MISSING'}</StatusBadge>}
    >
      <Readout
        label={describeFfmpegSource(ffmpeg.source)}
        value={<span data-testid="ffmpeg-version">{ffmpeg.version ?? 'not available'}</span>}
        detail={ffmpeg.error ?? ffmpeg.path}
      />
    </Panel>
  );
}

/** Uptime counts with the core's clockTicks between the 5-second health updates. */
function useCoreUptime(health: Health): number {
  const coreNow = useClockStore((store) => store.coreNow);
  const startedAt = useAppInfo().data?.startedAt;
  return coreNow !== null && startedAt !== undefined ? coreNow - startedAt : health.uptimeMs;
}

function CoreCard({ health }: { health: Health }) {
  const uptime = useCoreUptime(health);
  return (
    <Panel title="Core process" testId="health-core">
      <div className="readout-row">
        <Readout label="Uptime" value={formatUptime(uptime)} testId="health-uptime" />
        <Readout
          label="Memory"
          value={formatBytes(health.memory.rssBytes)}
          detail={`heap ${formatBytes(health.memory.heapUsedBytes)}`}
        />
        <Readout label="Load 1 · 5 · 15 min" value={formatLoad(health.load)} />
      </div>
    </Panel>
  );
}

function WindowsCard({ connections }: { connections: number }) {
  return (
    <Panel title="Windows" testId="health-windows">
      <Readout label="Connected now" value={<span className="readout__big">{connections}</span>} />
    </Panel>
  );
}

/** The core's own report: database, ffmpeg, process. Refreshed by `healthTick`, never polled. */
export function HealthPanel() {
  const { data: health, error } = useHealth();
  const live = useConnectionStore((store) => store.state.kind === 'open');
  if (error) return <p className="form-error">Health is unavailable: {error.message}</p>;
  if (!health) return <p className="muted">Reading health from the core…</p>;
  return (
    <section
      className="health"
      data-testid="health-panel"
      data-live={live}
      aria-label="Core health"
    >
      <header className="section-header">
        <h2>Core health</h2>
        {/* Old news must not look like good news: without the core, say these are stale. */}
        {live ? (
          <StatusBadge ok={health.ok}>
            {health.ok ? 'All systems OK' : 'Needs attention'}
          </StatusBadge>
        ) : (
          <StatusBadge ok={false}>No contact · last known values</StatusBadge>
        )}
      </header>
      <div className="health__grid">
        <DatabaseCard db={health.db} />
        <FfmpegCard ffmpeg={health.ffmpeg} />
        <CoreCard health={health} />
        <WindowsCard connections={health.connections} />
      </div>
    </section>
  );
}
