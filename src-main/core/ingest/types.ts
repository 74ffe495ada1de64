import type { AssetState, PreviewState } from '../../../src-shared/contract';

/**
 * What the library and the CLI need from ingest. The ingest service owns every asset's state
 * from `probing` to `ready`/`failed` and announces each change as `assetChanged`.
 *
 * Ingest has two phases. The air phase ends `ready` once the main rendition is in (ready for
 * air). The preview phase (proxy rendition, poster, filmstrip) follows at a lower priority in
 * the same job pool; its outcome is the asset's `preview`, and it never un-readies the asset.
 */
export type IngestService = {
  /** Queue an asset (state `probing`) for probe + ingest. Idempotent. */
  enqueue(assetId: number): void;
  /** Put a failed or cancelled asset back in the queue; for a ready one, its failed preview. */
  retry(assetId: number): void;
  /**
   * Stop its ffmpeg work; the asset ends `failed` ("cancelled by operator"), resumable by retry.
   * For a ready asset, cancels its preview (recorded as failed; the asset stays ready).
   */
  cancel(assetId: number): Promise<void>;
  /** Resolves with `ready` or `failed` once the asset leaves the air phase (now, if it already has). */
  whenSettled(assetId: number): Promise<AssetState>;
  /** Removes an asset's media folder (renditions, poster, filmstrip, temp work). */
  removeMedia(assetId: number): Promise<void>;
  /**
   * After a restart: requeue assets left in probing/queued/ingesting and the previews that
   * ready assets are missing, clean temp folders.
   */
  resume(): void;
  /** Cancels running jobs (their assets stay resumable) and waits for the children to end. */
  close(): Promise<void>;
};

/** The ingest service as `createIngestService` makes it. */
export type IngestPipeline = IngestService & {
  /**
   * Resolves once the asset has left both phases: `ready` when its preview is in, `failed` when
   * the preview (or, before it, the air phase) failed or was cancelled.
   */
  whenPreviewSettled(assetId: number): Promise<Exclude<PreviewState, 'pending'>>;
};
