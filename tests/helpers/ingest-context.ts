// A core context for the ingest service alone, built as the core builds it: real SQLite in
// `<dataDir>/airdeck.db`, real ffmpeg, the media folder created. Shared by tests and benches.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../src-main/core/clock/clock';
import type { CoreContext } from '../../src-main/core/core-context';
import { openDatabase } from '../../src-main/core/db/open-database';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createFfmpegRegistry, type ResolvedBinaries } from '../../src-main/core/ffmpeg/index';
import { silentLogger } from '../../src-main/core/logger';
import { createSettingsService } from '../../src-main/core/settings/settings-service';

export function openIngestContext(dataDir: string, binaries: ResolvedBinaries): CoreContext {
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const { db } = openDatabase(join(dataDir, 'airdeck.db'));
  const bus = new EventBus();
  return {
    db,
    bus,
    clock: systemClock,
    logger: silentLogger,
    dataDir,
    mediaDir,
    settings: createSettingsService(db, bus, () => Date.now()),
    ffmpeg: {
      status: { path: binaries.ffmpeg.path, source: binaries.ffmpeg.source, version: null },
      binaries,
      registry: createFfmpegRegistry(),
    },
  };
}
