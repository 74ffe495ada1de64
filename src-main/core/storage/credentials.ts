// Where S3 secrets live. Never in SQLite: the database is copied around for support and backups.
//  - Desktop: encrypted with the OS keychain (Electron safeStorage, passed in as a SecretBox)
//    in <dataDir>/s3-credentials.enc.
//  - serve: <dataDir>/s3-credentials.json, created with mode 0600 (only the service account can
//    read it), or the environment, which overrides anything stored:
//      AIRDECK_S3_<NAME>_ACCESS_KEY_ID / AIRDECK_S3_<NAME>_SECRET_ACCESS_KEY  (one location; NAME is
//      the location's name in capitals, other characters as _), then
//      AIRDECK_S3_ACCESS_KEY_ID / AIRDECK_S3_SECRET_ACCESS_KEY (every location).
//  - Nothing found: the AWS SDK's own chain (AWS_* variables, ~/.aws, instance roles).
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CredentialSource } from '../../../src-shared/contract';
import { AppError } from '../errors';

export type S3Credentials = { accessKeyId: string; secretAccessKey: string };

/** Encrypts with a key the OS keeps (Electron's safeStorage fits). */
export type SecretBox = {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
};

export type ResolvedCredentials = {
  source: CredentialSource;
  /** Null: let the SDK find them. */
  credentials: S3Credentials | null;
};

export type CredentialStore = {
  resolve(locationId: number, locationName: string): ResolvedCredentials;
  set(locationId: number, credentials: S3Credentials): void;
  remove(locationId: number): void;
};

const StoredFile = z.record(
  z.string().regex(/^[0-9]+$/),
  z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }),
);
type Stored = z.infer<typeof StoredFile>;

/** `News Archive` → `NEWS_ARCHIVE`. */
export function envName(locationName: string): string {
  return locationName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function credentialsFromEnv(
  env: NodeJS.ProcessEnv,
  locationName: string,
): S3Credentials | null {
  const name = envName(locationName);
  const pairs: [string | undefined, string | undefined][] = [
    name
      ? [env[`AIRDECK_S3_${name}_ACCESS_KEY_ID`], env[`AIRDECK_S3_${name}_SECRET_ACCESS_KEY`]]
      : [undefined, undefined],
    [env.AIRDECK_S3_ACCESS_KEY_ID, env.AIRDECK_S3_SECRET_ACCESS_KEY],
  ];
  for (const [accessKeyId, secretAccessKey] of pairs) {
    if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  }
  return null;
}

export function createCredentialStore(options: {
  dataDir: string;
  secretBox?: SecretBox | null;
  env?: NodeJS.ProcessEnv;
}): CredentialStore {
  const env = options.env ?? process.env;
  const box = options.secretBox ?? null;
  const file = join(options.dataDir, box ? 's3-credentials.enc' : 's3-credentials.json');
  const storedSource: CredentialSource = box ? 'keychain' : 'file';

  function read(): Stored {
    if (!existsSync(file)) return {};
    const raw = readFileSync(file);
    const text = box ? box.decrypt(raw) : raw.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = StoredFile.safeParse(json);
    // An AppError so the operator sees which file to fix, rather than "internal error".
    if (!parsed.success)
      throw new AppError(
        'unavailable',
        `${file} is not a valid credentials file; fix or remove it.`,
      );
    return parsed.data;
  }

  function write(stored: Stored): void {
    const text = JSON.stringify(stored, null, 2);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, box ? box.encrypt(text) : text, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  }

  return {
    resolve(locationId, locationName) {
      const fromEnv = credentialsFromEnv(env, locationName);
      if (fromEnv) return { source: 'environment', credentials: fromEnv };
      const stored = read()[String(locationId)];
      if (stored) return { source: storedSource, credentials: stored };
      return { source: 'default-chain', credentials: null };
    },
    set(locationId, credentials) {
      write({ ...read(), [String(locationId)]: credentials });
    },
    remove(locationId) {
      const stored = read();
      if (!(String(locationId) in stored)) return;
      delete stored[String(locationId)];
      write(stored);
    },
  };
}
