// One S3Client per location, rebuilt when the location or its credentials change. The SDK keeps
// a connection pool per client, so reusing it is what makes many small requests cheap.
import { S3Client } from '@aws-sdk/client-s3';
import type { ResolvedCredentials } from './credentials';
import type { LocationRow } from './location-store';

/** Everything a client depends on; two locations with equal shapes could share, but never do. */
function shapeOf(location: LocationRow, resolved: ResolvedCredentials): string {
  return JSON.stringify([
    location.endpoint,
    location.region,
    location.pathStyle,
    resolved.credentials?.accessKeyId ?? null,
    resolved.credentials?.secretAccessKey ?? null,
  ]);
}

export function buildS3Client(location: LocationRow, resolved: ResolvedCredentials): S3Client {
  return new S3Client({
    region: location.region,
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.pathStyle,
    ...(resolved.credentials ? { credentials: resolved.credentials } : {}),
    // Checksums on every GET/PUT are a newer AWS feature many S3-compatible servers reject;
    // we verify downloads ourselves (size + ETag).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

export function createS3ClientPool() {
  const clients = new Map<number, { shape: string; client: S3Client }>();
  return {
    get(location: LocationRow, resolved: ResolvedCredentials): S3Client {
      const shape = shapeOf(location, resolved);
      const held = clients.get(location.id);
      if (held?.shape === shape) return held.client;
      held?.client.destroy();
      const client = buildS3Client(location, resolved);
      clients.set(location.id, { shape, client });
      return client;
    },
    forget(locationId: number): void {
      clients.get(locationId)?.client.destroy();
      clients.delete(locationId);
    },
    closeAll(): void {
      for (const { client } of clients.values()) client.destroy();
      clients.clear();
    },
  };
}

export type S3ClientPool = ReturnType<typeof createS3ClientPool>;
