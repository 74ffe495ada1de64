import { useState, type ReactNode } from 'react';
import type { AssetDetail, AssetSummary } from '../../../src-shared/contract';
import { useSettings } from '../settings/queries';
import { CachePin } from '../storage/CachePin';
import type { LibraryActions } from './actions';
import { clockDuration, formatBytes, formatDateTime, timecode } from './format';
import { useAssetDetail } from './queries';
import { StateBadge } from './StateBadge';
import { openPreview } from './store';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="meta-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function TagEditor({ asset, actions }: { asset: AssetDetail; actions: LibraryActions }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const tags = draft
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    setDraft('');
    if (tags.length > 0) actions.setTags(asset.id, [...new Set([...asset.tags, ...tags])]);
  };
  return (
    <div className="tag-editor" data-testid="tag-editor">
      {asset.tags.map((tag) => (
        <span key={tag} className="tag-chip">
          {tag}
          <button
            type="button"
            aria-label={`Remove tag ${tag}`}
            onClick={() =>
              actions.setTags(
                asset.id,
                asset.tags.filter((t) => t !== tag),
              )
            }
          >
            ×
          </button>
        </span>
      ))}
      <input
        className="tag-editor__input"
        aria-label="Add a tag"
        placeholder="add tag…"
        data-testid="tag-input"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === 'Enter' || event.key === ',') {
            event.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
    </div>
  );
}

function Detail({ asset, actions }: { asset: AssetDetail; actions: LibraryActions }) {
  const settings = useSettings().data;
  const probe = asset.probe;
  const video = probe?.video;
  return (
    <>
      <header className="metadata-panel__header">
        <h2 className="metadata-panel__name" title={asset.name} data-testid="metadata-name">
          {asset.name}
        </h2>
        <StateBadge asset={asset} testId="metadata-state" />
      </header>
      {asset.state === 'ready' && (
        <button
          type="button"
          className="tool-button tool-button--primary"
          onClick={() => openPreview(asset.id)}
          data-testid="open-preview"
        >
          ▶ Preview
        </button>
      )}
      <dl className="meta-list">
        <Row label="Duration" testId="metadata-duration">
          <span className="mono">{timecode(probe?.durationMs ?? asset.durationMs)}</span>{' '}
          <span className="mono muted">{clockDuration(probe?.durationMs ?? asset.durationMs)}</span>
        </Row>
        {probe && (
          <Row label="Container">
            {probe.container} · {formatBytes(probe.sizeBytes)}
            {probe.bitRate ? ` · ${(probe.bitRate / 1e6).toFixed(1)} Mb/s` : ''}
          </Row>
        )}
        {video && (
          <>
            <Row label="Video" testId="metadata-video">
              {video.codec}
              {video.profile ? ` (${video.profile})` : ''} · {video.width}×{video.height}
            </Row>
            <Row label="Frame rate">
              {video.fps ? `${Number(video.fps.toFixed(3))} fps` : '—'}
              {video.variableFrameRate ? ' · variable' : ''}
              {video.fieldOrder ? ` · ${video.fieldOrder}` : ''}
            </Row>
            <Row label="Pixels">
              {video.pixelFormat ?? '—'}
              {video.bitDepth ? ` · ${video.bitDepth}-bit` : ''}
              {video.rotation ? ` · rotated ${video.rotation}°` : ''}
            </Row>
          </>
        )}
        {probe && (
          <Row label="Audio">
            {probe.audio.length === 0
              ? 'none'
              : probe.audio.map((a, i) => (
                  <span key={i} className="meta-line">
                    {a.codec} ·{' '}
                    {a.channels === 1 ? 'mono' : a.channels === 2 ? 'stereo' : `${a.channels} ch`} ·{' '}
                    {a.sampleRate / 1000} kHz
                  </span>
                ))}
          </Row>
        )}
        <Row label="Source">
          <span className="meta-line">{asset.source.kind}</span>
          <span className="meta-line meta-break mono">{asset.source.location}</span>
          {asset.source.kind === 's3' && <CachePin assetId={asset.id} />}
        </Row>
        <Row label="Renditions">
          {asset.renditions.length === 0
            ? 'none yet'
            : asset.renditions.map((r) => (
                <span key={r.kind} className="meta-line">
                  {r.kind} · {r.width}×{r.height} · {(r.bandwidth / 1e6).toFixed(1)} Mb/s ·{' '}
                  {r.segmentCount} segments
                </span>
              ))}
        </Row>
        <Row label="Added">{formatDateTime(asset.createdAt, settings?.timeZone)}</Row>
        <Row label="Scheduled" testId="metadata-usage">
          {asset.usage.length === 0 ? (
            <span className="muted">Not on any schedule</span>
          ) : (
            asset.usage.map((u) => (
              <span key={u.itemId} className="meta-line">
                <strong>{u.channelName}</strong> · {formatDateTime(u.startsAt, settings?.timeZone)}
              </span>
            ))
          )}
        </Row>
        <Row label="Tags">
          <TagEditor asset={asset} actions={actions} />
        </Row>
      </dl>
    </>
  );
}

/** What the library knows about the selected asset (or a summary of several). */
export function MetadataPanel({
  assetId,
  selection,
  actions,
}: {
  assetId: number | null;
  selection: AssetSummary[];
  actions: LibraryActions;
}) {
  const detail = useAssetDetail(assetId);
  let body: ReactNode;
  if (selection.length > 1) {
    const duration = selection.reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
    const bytes = selection.reduce((sum, a) => sum + (a.sizeBytes ?? 0), 0);
    body = (
      <dl className="meta-list">
        <Row label="Selected">{selection.length} assets</Row>
        <Row label="Total duration">
          <span className="mono">{timecode(duration)}</span>
        </Row>
        <Row label="Total size">{formatBytes(bytes)}</Row>
      </dl>
    );
  } else if (assetId === null) {
    body = <p className="muted">Select an asset to see its details.</p>;
  } else if (detail.error) {
    body = <p className="form-error">Details are unavailable: {detail.error.message}</p>;
  } else if (!detail.data) {
    body = <p className="muted">Loading…</p>;
  } else {
    body = <Detail key={detail.data.id} asset={detail.data} actions={actions} />;
  }
  return (
    <section className="metadata-panel" aria-label="Asset details" data-testid="metadata-panel">
      {body}
    </section>
  );
}
