import type { AirdeckBridge, AssetSummary } from '../../../src-shared/contract';
import { AssetSummarySchema } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { mediaAuthHeaders, uploadUrl } from '../../app/api/media';
import { addUploadEntries, updateUpload, useUploads, type UploadEntry } from './upload-store';

/** Two files at a time: enough to keep the link busy without starving the WebSocket. */
const CONCURRENCY = 2;

type Job = { key: string; file: File; folderId: number };
const queue: Job[] = [];
const running = new Map<string, XMLHttpRequest>();
let onUploaded: (asset: AssetSummary) => void = () => {};

let nextKey = 1;

/** Queues browser uploads (serve). `uploaded` receives each new asset as the core answers. */
export function uploadFiles(
  files: { file: File; folderId: number }[],
  uploaded: (asset: AssetSummary) => void,
) {
  onUploaded = uploaded;
  const entries: UploadEntry[] = files.map(({ file, folderId }) => {
    const key = `u${nextKey++}`;
    queue.push({ key, file, folderId });
    return {
      key,
      name: file.name,
      size: file.size,
      folderId,
      loaded: 0,
      status: 'waiting',
      error: null,
      assetId: null,
      asset: null,
    };
  });
  addUploadEntries(entries);
  pump();
}

export function cancelUpload(key: string) {
  const index = queue.findIndex((job) => job.key === key);
  if (index >= 0) {
    queue.splice(index, 1);
    updateUpload(key, { status: 'cancelled' });
    return;
  }
  running.get(key)?.abort();
}

function pump() {
  while (running.size < CONCURRENCY && queue.length > 0) {
    const job = queue.shift()!;
    start(job);
  }
}

function errorText(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as {
      message?: string;
      error?: string | { message?: string };
    };
    const message =
      body.message ?? (typeof body.error === 'string' ? body.error : body.error?.message);
    if (message) return message;
  } catch {
    // Not JSON: fall through to the status line.
  }
  if (xhr.status === 0) return 'The connection to Airdeck was lost during the upload.';
  if (xhr.status === 413) return 'The file is larger than the server accepts.';
  return `The server refused the upload (${xhr.status} ${xhr.statusText}).`.trim();
}

function start(job: Job) {
  const xhr = new XMLHttpRequest();
  running.set(job.key, xhr);
  updateUpload(job.key, { status: 'uploading' });
  xhr.open('PUT', uploadUrl(job.folderId, job.file.name));
  for (const [name, value] of Object.entries(mediaAuthHeaders())) xhr.setRequestHeader(name, value);
  xhr.setRequestHeader('content-type', 'application/octet-stream');
  // Progress events are many; one store update per whole percent is plenty.
  let lastPercent = -1;
  xhr.upload.onprogress = (event) => {
    const total = event.lengthComputable ? event.total : job.file.size;
    const percent = total > 0 ? Math.floor((event.loaded / total) * 100) : 0;
    if (percent === lastPercent) return;
    lastPercent = percent;
    updateUpload(job.key, { loaded: event.loaded });
  };
  const finish = (patch: Partial<UploadEntry>) => {
    running.delete(job.key);
    updateUpload(job.key, patch);
    pump();
  };
  xhr.onload = () => {
    if (xhr.status < 200 || xhr.status >= 300) {
      finish({ status: 'failed', error: errorText(xhr) });
      return;
    }
    let asset: AssetSummary | null = null;
    try {
      const parsed = AssetSummarySchema.safeParse(JSON.parse(xhr.responseText));
      if (parsed.success) asset = parsed.data;
    } catch {
      // Handled below.
    }
    if (!asset) {
      finish({ status: 'failed', error: 'The server accepted the file but sent no asset back.' });
      return;
    }
    // The asset may already have moved on through events; keep the newest state we know.
    const known = useUploads.getState().entries.find((e) => e.key === job.key)?.asset;
    finish({
      status: 'uploaded',
      loaded: job.file.size,
      assetId: asset.id,
      asset: known ?? { state: asset.state, progress: asset.progress, error: asset.error },
    });
    onUploaded(asset);
  };
  xhr.onerror = () => finish({ status: 'failed', error: errorText(xhr) });
  xhr.onabort = () => finish({ status: 'cancelled' });
  xhr.send(job.file);
}

// ---------------------------------------------------------------------------------------------
// Drops from the operating system: files and whole folders.

export type DroppedItem =
  { kind: 'file'; file: File } | { kind: 'folder'; name: string; children: DroppedItem[] };

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function readEntry(entry: FileSystemEntry): Promise<DroppedItem | null> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return { kind: 'file', file };
  }
  if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    const items = await Promise.all(children.map(readEntry));
    return {
      kind: 'folder',
      name: entry.name,
      children: items.filter((item): item is DroppedItem => item !== null),
    };
  }
  return null;
}

/**
 * What was dropped, folders included. Must be called during the drop event: the browser empties
 * the DataTransfer afterwards, so entries are taken synchronously and read later.
 */
export function takeDroppedItems(transfer: DataTransfer): {
  files: File[];
  read: () => Promise<DroppedItem[]>;
} {
  const files = Array.from(transfer.files);
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  const haveEntries = entries.length > 0 && entries.every((entry) => entry !== null);
  return {
    files,
    read: async () => {
      if (!haveEntries) return files.map((file) => ({ kind: 'file', file }));
      const items = await Promise.all(entries.map((entry) => readEntry(entry!)));
      return items.filter((item): item is DroppedItem => item !== null);
    },
  };
}

/** Recreates dropped folders under `folderId` and uploads every file into its folder. */
export async function uploadDroppedItems(
  api: ApiClient,
  items: DroppedItem[],
  folderId: number,
  uploaded: (asset: AssetSummary) => void,
): Promise<void> {
  const files: { file: File; folderId: number }[] = [];
  const walk = async (list: DroppedItem[], parentId: number) => {
    for (const item of list) {
      if (item.kind === 'file') files.push({ file: item.file, folderId: parentId });
      else {
        const folder = await api.call('libraryCreateFolder', { parentId, name: item.name });
        await walk(item.children, folder.id);
      }
    }
  };
  await walk(items, folderId);
  if (files.length > 0) uploadFiles(files, uploaded);
}

// ---------------------------------------------------------------------------------------------
// Desktop (Electron): files are imported from where they are on disk, not copied over HTTP.

/**
 * What the preload must add to `window.airdeck` for desktop drops: Electron 32+ removed
 * `File.path`, so the preload exposes `webUtils.getPathForFile(file)` under this name.
 */
type DesktopFileBridge = AirdeckBridge & { getPathForFile?: (file: File) => string };

export function desktopPathForFile(file: File): string | null {
  const bridge = (window as Window & { airdeck?: DesktopFileBridge }).airdeck;
  const path = bridge?.getPathForFile?.(file);
  return path ? path : null;
}

/** Desktop drop/upload: paths on this machine → libraryImportPaths (folders included). */
export async function importDesktopFiles(
  api: ApiClient,
  files: File[],
  folderId: number,
): Promise<{ imported: number; errors: string[] }> {
  const paths = files.map(desktopPathForFile);
  if (paths.some((path) => path === null)) {
    return {
      imported: 0,
      errors: [
        'This desktop build cannot read where dropped files are on disk yet (the preload does not expose getPathForFile).',
      ],
    };
  }
  const { assets } = await api.call('libraryImportPaths', {
    paths: paths as string[],
    folderId,
  });
  return {
    imported: assets.filter((a) => a.assetId !== null).length,
    errors: assets.filter((a) => a.error).map((a) => `${a.path}: ${a.error}`),
  };
}
