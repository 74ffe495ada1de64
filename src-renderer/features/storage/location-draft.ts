import type {
  CredentialSource,
  PublishingLocationStatus,
  StorageLocation,
  StorageLocationInput,
  StorageLocationPatch,
} from '../../../src-shared/contract';

/** The form as typed: every field a string or a box, turned into a request on submit. */
export type Draft = {
  name: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  pathStyle: boolean;
  publishRenditions: boolean;
  /** Empty: playlists name Airdeck's own segment URLs. */
  publicBaseUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  clearCredentials: boolean;
};

export const emptyDraft: Draft = {
  name: '',
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  prefix: '',
  pathStyle: true,
  publishRenditions: false,
  publicBaseUrl: '',
  accessKeyId: '',
  secretAccessKey: '',
  clearCredentials: false,
};

export function draftOf(location: StorageLocation): Draft {
  return {
    ...emptyDraft,
    name: location.name,
    endpoint: location.endpoint ?? '',
    region: location.region,
    bucket: location.bucket,
    prefix: location.prefix,
    pathStyle: location.pathStyle,
    publishRenditions: location.publishRenditions,
    publicBaseUrl: location.publicBaseUrl ?? '',
  };
}

/** "news/2026" and "/news/2026/" both mean the folder `news/2026/`. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export function toInput(draft: Draft): StorageLocationInput {
  const input: StorageLocationInput = {
    name: draft.name.trim(),
    endpoint: draft.endpoint.trim() === '' ? null : draft.endpoint.trim(),
    region: draft.region.trim(),
    bucket: draft.bucket.trim(),
    prefix: normalisePrefix(draft.prefix),
    pathStyle: draft.pathStyle,
    publishRenditions: draft.publishRenditions,
    publicBaseUrl: draft.publicBaseUrl.trim() === '' ? null : draft.publicBaseUrl.trim(),
  };
  // Keys are sent only when typed: both or neither (the core refuses half a pair).
  if (draft.accessKeyId.trim() !== '' || draft.secretAccessKey !== '') {
    input.accessKeyId = draft.accessKeyId.trim();
    input.secretAccessKey = draft.secretAccessKey;
  }
  return input;
}

/** Only what changed, so another window's edit of another field is not undone. */
export function toPatch(location: StorageLocation, draft: Draft): StorageLocationPatch {
  const input = toInput(draft);
  const patch: StorageLocationPatch = { id: location.id };
  if (input.name !== location.name) patch.name = input.name;
  if (input.endpoint !== location.endpoint) patch.endpoint = input.endpoint ?? null;
  if (input.region !== location.region) patch.region = input.region;
  if (input.bucket !== location.bucket) patch.bucket = input.bucket;
  if (input.prefix !== location.prefix) patch.prefix = input.prefix;
  if (input.pathStyle !== location.pathStyle) patch.pathStyle = input.pathStyle;
  if (input.publishRenditions !== location.publishRenditions)
    patch.publishRenditions = input.publishRenditions;
  if (input.publicBaseUrl !== location.publicBaseUrl)
    patch.publicBaseUrl = input.publicBaseUrl ?? null;
  if (input.accessKeyId !== undefined) {
    patch.accessKeyId = input.accessKeyId;
    patch.secretAccessKey = input.secretAccessKey;
  } else if (draft.clearCredentials) {
    patch.clearCredentials = true;
  }
  return patch;
}

const sourceText: Record<CredentialSource, string> = {
  keychain: 'keys in the OS keychain',
  file: 'keys in the data folder',
  environment: 'keys from AIRDECK_S3_* variables',
  'default-chain': 'AWS default credentials',
};

export function describeCredentials(location: StorageLocation): string {
  const hint = location.credentials.accessKeyIdHint;
  return `${sourceText[location.credentials.source]}${hint ? ` (…${hint})` : ''}`;
}

export function whereText(location: StorageLocation): string {
  const host = location.endpoint ?? `AWS ${location.region}`;
  return `${host} · ${location.bucket}/${location.prefix}`;
}

/** "3 published · 2 pending · 1 failed" for a location that publishes or has published. */
export function publishingText(status: PublishingLocationStatus | undefined): string | null {
  if (!status) return null;
  const { published, pending, failed, uploading } = status;
  if (published + pending + failed === 0 && !uploading) return null;
  const parts = [`${published} published`];
  if (pending > 0) parts.push(`${pending} pending`);
  if (failed > 0) parts.push(`${failed} failed`);
  if (uploading) parts.push('uploading…');
  return parts.join(' · ');
}
