import { useCacheStatus, useStorageMutations } from './queries';

/**
 * Keeps an S3 asset's object in the local cache whatever the schedule says (a pinned object is
 * fetched now and never purged), e.g. for a programme that may be inserted live at short notice.
 */
export function CachePin({ assetId }: { assetId: number }) {
  const { data: status } = useCacheStatus();
  const m = useStorageMutations();
  if (!status) return null;
  // While the core answers, the box shows what was asked (a refusal puts it back).
  const pinned = m.pin.isPending ? m.pin.variables.pinned : status.pinnedAssetIds.includes(assetId);
  return (
    <label className="cache-pin">
      <input
        type="checkbox"
        data-testid="cache-pin"
        checked={pinned}
        disabled={m.pin.isPending}
        onChange={(event) => m.pin.mutate({ assetId, pinned: event.target.checked })}
      />
      <span>Keep in the local cache</span>
      {m.pin.isError && (
        <span className="form-error" role="alert">
          {m.pin.error.message}
        </span>
      )}
    </label>
  );
}
