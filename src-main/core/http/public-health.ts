// What `/healthz` tells anyone who asks, without a token: whether the station works and which
// build it runs. The full snapshot (database file, ffmpeg binary path, memory) is for signed-in
// windows only (`healthGet`): paths tell an attacker where to aim.
import type { Health } from '../../../src-shared/contract';

export type PublicHealth = {
  ok: boolean;
  version: string;
  uptimeMs: number;
  db: { ok: boolean; schemaVersion: number };
  ffmpeg: { ok: boolean; source: Health['ffmpeg']['source']; version: string | null };
};

export function publicHealth(health: Health): PublicHealth {
  return {
    ok: health.ok,
    version: health.version,
    uptimeMs: health.uptimeMs,
    db: { ok: health.db.ok, schemaVersion: health.db.schemaVersion },
    ffmpeg: {
      ok: health.ffmpeg.path !== null,
      source: health.ffmpeg.source,
      version: health.ffmpeg.version,
    },
  };
}
