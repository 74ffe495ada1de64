import { create } from 'zustand';
import type { DownloadProgress } from '../../../src-shared/contract';

/** `locationId:key`: one object of one location, however many assets or callers wait on it. */
export const downloadId = (locationId: number, key: string) => `${locationId}:${key}`;

/**
 * Downloads in flight, and failed ones with their reason, as this window last heard of them
 * (live state, not persisted). A finished download is dropped: its object reads "cached".
 */
type Downloads = { byObject: ReadonlyMap<string, DownloadProgress> };

export const useDownloads = create<Downloads>()(() => ({ byObject: new Map() }));

export function noteDownload(progress: DownloadProgress): void {
  useDownloads.setState((state) => {
    const byObject = new Map(state.byObject);
    const id = downloadId(progress.locationId, progress.key);
    if (progress.state === 'done') byObject.delete(id);
    else byObject.set(id, progress);
    return { byObject };
  });
}

/**
 * A cache status lists every download in flight: it replaces what this window believed was in
 * flight (an event missed while reconnecting cannot leave a bar stuck). Failures are kept.
 */
export function noteDownloads(inFlight: readonly DownloadProgress[]): void {
  useDownloads.setState((state) => {
    const byObject = new Map(
      [...state.byObject].filter(([, progress]) => progress.state === 'failed'),
    );
    for (const progress of inFlight) {
      byObject.set(downloadId(progress.locationId, progress.key), progress);
    }
    return { byObject };
  });
}

export function useDownload(locationId: number, key: string): DownloadProgress | undefined {
  return useDownloads((state) => state.byObject.get(downloadId(locationId, key)));
}

export const isInFlight = (progress: DownloadProgress) =>
  progress.state === 'downloading' || progress.state === 'verifying';
