import type { Migration } from '../migration';

/**
 * Ingest in two phases: an asset is ready for air once its main rendition is in; the proxy,
 * poster and filmstrip (its preview) follow. `preview_error` says why the preview could not be
 * made; the asset stays ready and `retry` tries the preview again.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'preview',
  up: (db) => {
    db.exec('ALTER TABLE assets ADD COLUMN preview_error TEXT;');
  },
};
