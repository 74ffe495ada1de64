import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type {
  CacheSettings,
  StorageBrowseResult,
  StorageLocation,
} from '../../src-shared/contract';
import { draftOf as cacheDraftOf, patchOf } from '../../src-renderer/features/storage/cache-draft';
import {
  noteDownload,
  noteDownloads,
  useDownloads,
} from '../../src-renderer/features/storage/download-store';
import { storageKeys } from '../../src-renderer/features/storage/keys';
import { applyImported, patchObjects } from '../../src-renderer/features/storage/live-updates';
import {
  describeCredentials,
  draftOf,
  emptyDraft,
  normalisePrefix,
  publishingText,
  toInput,
  toPatch,
} from '../../src-renderer/features/storage/location-draft';
import type { BrowsePages } from '../../src-renderer/features/storage/queries';

const location: StorageLocation = {
  id: 3,
  name: 'Archive',
  endpoint: 'http://127.0.0.1:9000',
  region: 'us-east-1',
  bucket: 'media',
  prefix: 'news/',
  pathStyle: true,
  credentials: { source: 'file', accessKeyIdHint: 'WXYZ' },
  publishRenditions: false,
  publicBaseUrl: null,
  createdAt: 1,
  updatedAt: 1,
};

describe('storage location form', () => {
  it('reads any way of typing a prefix as one folder', () => {
    expect(normalisePrefix('')).toBe('');
    expect(normalisePrefix('  ')).toBe('');
    expect(normalisePrefix('news')).toBe('news/');
    expect(normalisePrefix('/news/2026/')).toBe('news/2026/');
  });

  it('sends keys only as a pair the operator typed, and an empty endpoint as AWS', () => {
    const input = toInput({ ...emptyDraft, name: ' A ', bucket: 'media', endpoint: ' ' });
    expect(input).toEqual({
      name: 'A',
      endpoint: null,
      region: 'us-east-1',
      bucket: 'media',
      prefix: '',
      pathStyle: true,
      publishRenditions: false,
      publicBaseUrl: null,
    });
    const withKeys = toInput({ ...emptyDraft, accessKeyId: ' KEY ', secretAccessKey: 's' });
    expect(withKeys).toMatchObject({ accessKeyId: 'KEY', secretAccessKey: 's' });
    // Half a pair goes to the core as typed, which refuses it with its own message.
    expect(toInput({ ...emptyDraft, secretAccessKey: 's' })).toMatchObject({
      accessKeyId: '',
      secretAccessKey: 's',
    });
  });

  it('patches only what changed, so another window’s edit of another field stays', () => {
    expect(toPatch(location, draftOf(location))).toEqual({ id: 3 });
    expect(toPatch(location, { ...draftOf(location), prefix: 'sport', pathStyle: false })).toEqual({
      id: 3,
      prefix: 'sport/',
      pathStyle: false,
    });
    expect(toPatch(location, { ...draftOf(location), endpoint: '' })).toEqual({
      id: 3,
      endpoint: null,
    });
    expect(toPatch(location, { ...draftOf(location), clearCredentials: true })).toEqual({
      id: 3,
      clearCredentials: true,
    });
    // New keys win over "forget the stored ones".
    expect(
      toPatch(location, {
        ...draftOf(location),
        accessKeyId: 'K',
        secretAccessKey: 'S',
        clearCredentials: true,
      }),
    ).toEqual({ id: 3, accessKeyId: 'K', secretAccessKey: 'S' });
  });

  it('says where the keys come from without showing them', () => {
    expect(describeCredentials(location)).toBe('keys in the data folder (…WXYZ)');
    expect(
      describeCredentials({
        ...location,
        credentials: { source: 'default-chain', accessKeyIdHint: null },
      }),
    ).toBe('AWS default credentials');
  });
});

describe('cache settings form', () => {
  const saved: CacheSettings = {
    horizonHours: 24,
    orphanMinutes: 120,
    sizeCapBytes: null,
    lowDiskFreeBytes: 2 * 1024 ** 3,
    checkContentMd5: false,
  };

  it('shows gigabytes rounded and sends back only what was retyped', () => {
    const draft = cacheDraftOf(saved);
    expect(draft).toEqual({
      horizonHours: '24',
      orphanMinutes: '120',
      sizeCapGb: '',
      lowDiskGb: '2.15',
      checkContentMd5: false,
    });
    // The rounded 2.15 GB left alone is not written back as 2 150 000 000 bytes.
    expect(patchOf(draft, saved)).toEqual({});
    expect(patchOf({ ...draft, sizeCapGb: '2.5', horizonHours: '12' }, saved)).toEqual({
      sizeCapBytes: 2_500_000_000,
      horizonHours: 12,
    });
    expect(patchOf(cacheDraftOf({ ...saved, sizeCapBytes: 10 ** 9 }), saved)).toEqual({
      sizeCapBytes: 10 ** 9,
    });
    expect(patchOf({ ...draft, checkContentMd5: true }, saved)).toEqual({ checkContentMd5: true });
    // Emptied: no cap any more.
    expect(patchOf({ ...draft, sizeCapGb: ' ' }, { ...saved, sizeCapBytes: 5 * 10 ** 9 })).toEqual({
      sizeCapBytes: null,
    });
  });
});

describe('storage listings patched by the core’s answers and events', () => {
  const page = (keys: string[], next: string | null): StorageBrowseResult => ({
    locationId: 3,
    prefix: '',
    folders: [],
    objects: keys.map((key) => ({
      key,
      name: key,
      size: 1,
      etag: 'e',
      lastModified: null,
      assetId: null,
      cached: false,
    })),
    nextContinuationToken: next,
  });

  it('marks imported objects on every loaded page of that location only', () => {
    const queryClient = new QueryClient();
    const mine = storageKeys.browse(3, '');
    const other = storageKeys.browse(4, '');
    queryClient.setQueryData<BrowsePages>(mine, {
      pages: [page(['a.mp4'], 't'), page(['b.mp4'], null)],
      pageParams: [null, 't'],
    });
    queryClient.setQueryData<BrowsePages>(other, {
      pages: [page(['b.mp4'], null)],
      pageParams: [null],
    });
    const untouchedFirstPage = queryClient.getQueryData<BrowsePages>(mine)!.pages[0];

    applyImported(queryClient, 3, [
      { key: 'b.mp4', assetId: 42 },
      { key: 'a.mp4', assetId: null },
    ]);
    const after = queryClient.getQueryData<BrowsePages>(mine)!;
    expect(after.pages[1]!.objects[0]!.assetId).toBe(42);
    // A page with nothing to change keeps its identity (no re-render for it).
    expect(after.pages[0]).toBe(untouchedFirstPage);
    expect(queryClient.getQueryData<BrowsePages>(other)!.pages[0]!.objects[0]!.assetId).toBe(null);

    // A deleted asset un-marks its object wherever it is listed.
    patchObjects(queryClient, null, (o) => (o.assetId === 42 ? { ...o, assetId: null } : o));
    expect(queryClient.getQueryData<BrowsePages>(mine)!.pages[1]!.objects[0]!.assetId).toBe(null);
  });
});

describe('download progress store', () => {
  const progress = (key: string, state: 'downloading' | 'verifying' | 'done' | 'failed') => ({
    locationId: 1,
    key,
    etag: null,
    receivedBytes: 5,
    totalBytes: 10,
    state,
    error: state === 'failed' ? 'connection reset' : null,
  });
  const keys = () => [...useDownloads.getState().byObject.keys()].sort();

  it('drops a finished download, keeps a failed one, and trusts a status for what is in flight', () => {
    noteDownload(progress('a.mp4', 'downloading'));
    noteDownload(progress('b.mp4', 'downloading'));
    noteDownload(progress('c.mp4', 'failed'));
    noteDownload(progress('a.mp4', 'done'));
    expect(keys()).toEqual(['1:b.mp4', '1:c.mp4']);
    // The "done" of b.mp4 was missed (reconnect): the next status no longer lists it.
    noteDownloads([progress('d.mp4', 'verifying')]);
    expect(keys()).toEqual(['1:c.mp4', '1:d.mp4']);
    expect(useDownloads.getState().byObject.get('1:c.mp4')?.error).toBe('connection reset');
  });
});

describe('publishing in the location form', () => {
  it('sends publishing on and the public base URL trimmed; an empty URL is none', () => {
    expect(
      toInput({
        ...emptyDraft,
        name: 'A',
        bucket: 'media',
        publishRenditions: true,
        publicBaseUrl: ' https://cdn.example.net/media ',
      }),
    ).toMatchObject({ publishRenditions: true, publicBaseUrl: 'https://cdn.example.net/media' });
    expect(toInput({ ...emptyDraft, publicBaseUrl: '   ' }).publicBaseUrl).toBeNull();
  });

  it('patches only the publishing fields that changed', () => {
    const on = { ...draftOf(location), publishRenditions: true };
    expect(toPatch(location, on)).toEqual({ id: 3, publishRenditions: true });
    const withUrl = { ...draftOf(location), publicBaseUrl: 'https://cdn.example.net' };
    expect(toPatch(location, withUrl)).toEqual({ id: 3, publicBaseUrl: 'https://cdn.example.net' });
    const saved = {
      ...location,
      publishRenditions: true,
      publicBaseUrl: 'https://cdn.example.net',
    };
    expect(toPatch(saved, draftOf(saved))).toEqual({ id: 3 });
    expect(toPatch(saved, { ...draftOf(saved), publicBaseUrl: '' })).toEqual({
      id: 3,
      publicBaseUrl: null,
    });
  });

  it('counts published, pending and failed assets, and nothing for a quiet location', () => {
    const status = {
      locationId: 3,
      published: 4,
      pending: 2,
      failed: 1,
      uploading: true,
      lastError: 'NoSuchBucket',
    };
    expect(publishingText(status)).toBe('4 published · 2 pending · 1 failed · uploading…');
    expect(publishingText({ ...status, pending: 0, failed: 0, uploading: false })).toBe(
      '4 published',
    );
    expect(
      publishingText({ ...status, published: 0, pending: 0, failed: 0, uploading: false }),
    ).toBeNull();
    expect(publishingText(undefined)).toBeNull();
  });
});
