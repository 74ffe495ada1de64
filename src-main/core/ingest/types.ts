import type { AssetState } from '../../../src-shared/contract';

/**
 * What the library and the CLI need from ingest. The ingest service owns every asset's state
 * from `probing` to `ready`/`failed` and announces each change as `assetChanged`.
 */
export type IngestService = {
  /** Queue an asset (state `probing`) for probe + ingest. Idempotent. */
  enqueue(assetId: number): void;
  /** Put a failed or cancelled asset back in the queue. */
  retry(assetId: number): void;
  /** Stop its ffmpeg work; the asset ends `failed` ("cancelled by operator"), resumable by retry. */
  cancel(assetId: number): Promise<void>;
  /** Resolves with `ready` or `failed` once the asset leaves the pipeline (now, if it already has). */
  whenSettled(assetId: number): Promise<AssetState>;
  /** Removes an asset's media folder (renditions, poster, filmstrip, temp work). */
  removeMedia(assetId: number): Promise<void>;
  /** After a restart: requeue assets left in probing/queued/ingesting, clean temp folders. */
  resume(): void;
  /** Cancels running jobs (their assets stay resumable) and waits for the children to end. */
  close(): Promise<void>;
};
