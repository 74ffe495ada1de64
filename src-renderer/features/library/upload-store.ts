import { create } from 'zustand';
import type { AssetState, AssetSummary } from '../../../src-shared/contract';

/** One file on its way in: bytes first (upload), then the core's ingest states. */
export type UploadEntry = {
  key: string;
  name: string;
  size: number;
  folderId: number;
  loaded: number;
  status: 'waiting' | 'uploading' | 'uploaded' | 'failed' | 'cancelled';
  /** Why the upload failed, in words. */
  error: string | null;
  assetId: number | null;
  /** The asset's latest state from `assetChanged`, once the core has it. */
  asset: Pick<AssetSummary, 'state' | 'progress' | 'error'> | null;
};

type UploadStore = { entries: UploadEntry[] };

export const useUploads = create<UploadStore>()(() => ({ entries: [] }));

export function addUploadEntries(entries: UploadEntry[]) {
  useUploads.setState((store) => ({ entries: [...store.entries, ...entries] }));
}

export function updateUpload(key: string, patch: Partial<UploadEntry>) {
  useUploads.setState((store) => ({
    entries: store.entries.map((entry) => (entry.key === key ? { ...entry, ...patch } : entry)),
  }));
}

/** Called for every `assetChanged`: uploads follow their asset through ingest. */
export function noteAssetState(asset: AssetSummary) {
  const { entries } = useUploads.getState();
  if (!entries.some((entry) => entry.assetId === asset.id)) return;
  updateUploadAsset(asset.id, { state: asset.state, progress: asset.progress, error: asset.error });
}

function updateUploadAsset(assetId: number, asset: UploadEntry['asset']) {
  useUploads.setState((store) => ({
    entries: store.entries.map((entry) =>
      entry.assetId === assetId ? { ...entry, asset } : entry,
    ),
  }));
}

const settled = (state: AssetState | undefined) => state === 'ready' || state === 'failed';

export function isFinished(entry: UploadEntry): boolean {
  return (
    entry.status === 'failed' ||
    entry.status === 'cancelled' ||
    (entry.status === 'uploaded' && settled(entry.asset?.state))
  );
}

export function clearFinishedUploads() {
  useUploads.setState((store) => ({ entries: store.entries.filter((e) => !isFinished(e)) }));
}
