import type { AssetSummary } from '../../../src-shared/contract';
import { describeState, formatPercent, stateNames } from './format';

type Props = {
  asset: Pick<AssetSummary, 'id' | 'state' | 'progress' | 'error'>;
  /** Show the failure reason inline (lists) or not (cards show it as a tooltip). */
  showReason?: boolean;
  testId?: string;
};

/** Probing → queued → ingesting (percent) → ready, or failed with its reason. */
export function StateBadge({ asset, showReason = true, testId }: Props) {
  const text = describeState(asset);
  return (
    <div
      className="asset-state"
      data-state={asset.state}
      data-testid={testId ?? `asset-state-${asset.id}`}
      title={text}
      role="status"
      aria-label={text}
    >
      <span className="asset-state__badge">
        <span className="asset-state__lamp" aria-hidden="true" />
        {stateNames[asset.state]}
        {asset.state === 'ingesting' && (
          <span className="asset-state__percent">{formatPercent(asset.progress)}</span>
        )}
      </span>
      {asset.state === 'ingesting' && (
        <span
          className="asset-state__bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(asset.progress * 100)}
          aria-label="Ingest progress"
        >
          <span style={{ width: formatPercent(asset.progress) }} />
        </span>
      )}
      {asset.state === 'failed' && showReason && asset.error && (
        <span className="asset-state__reason">{asset.error}</span>
      )}
    </div>
  );
}
