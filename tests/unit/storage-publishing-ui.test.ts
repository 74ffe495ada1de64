// The publishing fields of the storage location form and the per-location publishing line.
import { describe, expect, it } from 'vitest';
import type { StorageLocation } from '../../src-shared/contract';
import {
  draftOf,
  emptyDraft,
  publishingText,
  toInput,
  toPatch,
} from '../../src-renderer/features/storage/location-draft';

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
