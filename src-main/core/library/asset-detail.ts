import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { ProbeSchema, type AssetDetail } from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { createAssetUsageFinder } from '../schedule/asset-usage';
import { createAssetSummaryReader } from './asset-summary';

type RenditionRow = {
  kind: 'main' | 'proxy';
  width: number;
  height: number;
  bandwidth: number;
  duration_ms: number;
  segment_count: number;
};
type SourceRow = {
  source_kind: 'file' | 's3' | 'upload';
  source_location: string;
  probe_json: string | null;
};

/** What ingest writes next to the filmstrip image; the URL is ours to make. */
const FilmstripFileSchema = z.object({
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
  intervalMs: z.number().int().positive(),
  tileWidth: z.number().int().positive(),
  tileHeight: z.number().int().positive(),
});

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One asset with everything the metadata panel shows. */
export function createAssetDetailReader(
  db: Database,
  mediaDir: string,
  findUsage: ReturnType<typeof createAssetUsageFinder>,
) {
  const summary = createAssetSummaryReader(db);
  const source = db.prepare<[number], SourceRow>(
    'SELECT source_kind, source_location, probe_json FROM assets WHERE id = ?',
  );
  const renditions = db.prepare<[number], RenditionRow>(`
    SELECT r.kind, r.width, r.height, r.bandwidth, r.duration_ms,
      (SELECT count(*) FROM segments s WHERE s.rendition_id = r.id) AS segment_count
    FROM renditions r WHERE r.asset_id = ? ORDER BY r.kind`);

  function readFilmstrip(id: number): AssetDetail['filmstrip'] {
    let raw: string;
    try {
      raw = readFileSync(join(mediaDir, String(id), 'filmstrip.json'), 'utf8');
    } catch {
      return null;
    }
    const parsed = FilmstripFileSchema.safeParse(parseJson(raw));
    return parsed.success ? { url: `/media/${id}/filmstrip.jpg`, ...parsed.data } : null;
  }

  return (id: number): AssetDetail => {
    const base = summary(id);
    const src = source.get(id);
    if (!base || !src) throw new AppError('not_found', `Asset ${id} does not exist.`);
    const probe = ProbeSchema.safeParse(parseJson(src.probe_json));
    return {
      ...base,
      source: { kind: src.source_kind, location: src.source_location },
      probe: probe.success ? probe.data : null,
      renditions: renditions.all(id).map((r) => ({
        kind: r.kind,
        width: r.width,
        height: r.height,
        bandwidth: r.bandwidth,
        segmentCount: r.segment_count,
        durationMs: r.duration_ms,
        playlistUrl: `/media/${id}/${r.kind}/index.m3u8`,
      })),
      filmstrip: readFilmstrip(id),
      usage: findUsage([id]).map(({ channelId, channelName, itemId, startsAt }) => ({
        channelId,
        channelName,
        itemId,
        startsAt,
      })),
    };
  };
}
