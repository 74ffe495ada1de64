// Records one source continuously: polls its media playlist, downloads each new segment as the
// source served it (bytes unchanged) to a temporary name and renames it into place, then indexes
// it. A crash therefore loses at most the segment in flight; on start the recorder resumes from
// the last indexed segment and the planner records what is missing as a gap.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { dirname, join, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { GapReason, RecorderState } from '../../../src-shared/contract';
import { backoffDelay, type BackoffOptions } from '../ffmpeg';
import type { Logger } from '../logger';
import { parsePlaylist, type MediaPlaylist } from './hls-parse';
import type { RecorderStore, SourceRow } from './recorder-store';
import { planSegments, type Cursor, type PlannedGap, type PlannedSegment } from './segment-plan';

export type SourceRecorderOptions = {
  store: RecorderStore;
  /** `<data>/recordings`. */
  recordingsDir: string;
  now: () => number;
  logger: Logger;
  onState(state: RecorderState, lastError: string | null): void;
  /** A fetch that has not answered after this long is a failure. */
  fetchTimeoutMs?: number;
  /**
   * Where the playlist is read instead of the source's URL: a remuxed source's local playlist
   * (`file:`), with why its ffmpeg stopped, for the message of an outage.
   */
  local?: { playlistUrl: string; lastError(): string | null };
  backoff?: BackoffOptions;
};

export type SourceRecorder = {
  readonly state: RecorderState;
  readonly lastError: string | null;
  readonly targetDurationMs: number;
  stop(): Promise<void>;
};

const PLAYLIST_MAX_BYTES = 4 << 20;
const SEGMENT_MAX_BYTES = 512 << 20;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, factor: 2, maxMs: 30_000 };
/** No new segment for this many target durations is a stall. */
const STALL_TARGETS = 3;

class FetchFailure extends Error {
  override readonly name = 'FetchFailure';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Folder per air hour keeps directories small (600 six-second segments an hour). */
export function segmentFile(sourceId: number, segment: PlannedSegment): string {
  const hour = new Date(segment.startAt).toISOString().slice(0, 13).replace('T', '-');
  const ext = /\.([a-z0-9]{1,5})$/i.exec(new URL(segment.uri).pathname)?.[1]?.toLowerCase() ?? 'ts';
  return `${sourceId}/${hour}/${segment.startAt}-${segment.mediaSequence}.${ext}`;
}

export function startSourceRecorder(
  source: SourceRow,
  options: SourceRecorderOptions,
): SourceRecorder {
  const { store, now, logger } = options;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const abort = new AbortController();
  let state: RecorderState = 'recording';
  let lastError: string | null = null;
  let targetDurationMs = 6000;
  let cursor: Cursor | null = store.cursor(source.id);
  let firstSinceStart = true;
  let lastNewAt = now();
  let mediaUrl: string | null = null;

  function setState(next: RecorderState, error: string | null) {
    if (next === state && error === lastError) return;
    state = next;
    lastError = error;
    options.onState(state, lastError);
  }

  /** A remux bridge's own files, answered as fetch would answer them. */
  async function readLocal(url: string): Promise<Response> {
    const path = fileURLToPath(url);
    const folder = dirname(fileURLToPath(options.local!.playlistUrl));
    if (!path.startsWith(`${folder}${sep}`))
      throw new FetchFailure(`${url}: outside the source's folder`);
    try {
      const size = (await stat(path)).size;
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return new Response(body, { headers: { 'content-length': String(size) } });
    } catch {
      const why = options.local?.lastError();
      throw new FetchFailure(
        why ? `no media from the source: ${why}` : 'no media from the source yet',
      );
    }
  }

  async function fetchWithTimeout(url: string): Promise<Response> {
    // Only the bridge's folder is ever read from disk; a source URL itself is never file:.
    if (options.local && url.startsWith('file:')) return readLocal(url);
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(fetchTimeoutMs)]);
    let response: Response;
    try {
      response = await fetch(url, { signal, redirect: 'follow' });
    } catch (error) {
      throw new FetchFailure(`${url}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      void response.body?.cancel();
      throw new FetchFailure(`${url}: HTTP ${response.status}`);
    }
    return response;
  }

  async function fetchText(url: string): Promise<string> {
    const response = await fetchWithTimeout(url);
    const text = await response.text();
    if (text.length > PLAYLIST_MAX_BYTES) throw new FetchFailure(`${url}: playlist too large`);
    return text;
  }

  async function loadMediaPlaylist(): Promise<MediaPlaylist> {
    const url = mediaUrl ?? options.local?.playlistUrl ?? source.url;
    let playlist = parsePlaylist(await fetchText(url), url);
    if (playlist.kind === 'master') {
      mediaUrl = playlist.variants[0]!;
      playlist = parsePlaylist(await fetchText(mediaUrl), mediaUrl);
      if (playlist.kind === 'master')
        throw new FetchFailure('a master playlist names another master');
    } else mediaUrl = url;
    if (playlist.hasInitSegment)
      throw new FetchFailure(
        'fragmented MP4 (EXT-X-MAP) sources are not recorded yet; MPEG-TS only',
      );
    return playlist;
  }

  /** Downloads into a temporary name beside the final one; returns the bytes written. */
  async function download(segment: PlannedSegment, file: string): Promise<number> {
    const target = join(options.recordingsDir, file);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.part-${randomBytes(6).toString('hex')}`);
    const response = await fetchWithTimeout(segment.uri);
    if (!response.body) throw new FetchFailure(`${segment.uri}: empty answer`);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > SEGMENT_MAX_BYTES)
          callback(new FetchFailure(`${segment.uri}: segment too large`));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        counter,
        createWriteStream(temp, { mode: 0o640 }),
      );
      const declared = response.headers.get('content-length');
      if (declared !== null && Number(declared) !== bytes)
        throw new FetchFailure(`${segment.uri}: ${bytes} of ${declared} bytes arrived`);
      if (bytes === 0) throw new FetchFailure(`${segment.uri}: empty segment`);
      // No fsync: a process crash keeps the page cache; a power cut may cost the last segments,
      // which the index then points at as short files (the playlist still plays around them).
      await rename(temp, target);
      return bytes;
    } catch (error) {
      await rm(temp, { force: true });
      throw error instanceof FetchFailure
        ? error
        : new FetchFailure(`${segment.uri}: ${(error as Error).message}`);
    }
  }

  function openOutage(reason: GapReason, detail: string) {
    // Nothing recorded yet: there is no "before" to be missing from.
    if (!cursor || store.openGap(source.id)) return;
    store.insertGap(source.id, cursor.endAt, null, reason, detail);
    logger.warn(`recorder ${source.name}: ${reason}: ${detail}`);
  }

  function index(segment: PlannedSegment, file: string, bytes: number, gap: PlannedGap | null) {
    store.transaction(() => {
      const open = store.openGap(source.id);
      if (gap) {
        if (open)
          store.closeGap(
            open.id,
            gap.toAt,
            open.detail ? `${open.detail}; ${gap.detail}` : gap.detail,
          );
        else store.insertGap(source.id, gap.fromAt, gap.toAt, gap.reason, gap.detail);
      } else if (open) {
        // The outage cost no media: the source still offered everything we missed.
        store.deleteGap(open.id);
      }
      store.insertSegment({
        sourceId: source.id,
        mediaSequence: segment.mediaSequence,
        startAt: segment.startAt,
        durationMs: segment.durationMs,
        bytes,
        file,
        discontinuity: segment.discontinuity,
        timedBySource: segment.timedBySource,
        sourceUri: segment.uri,
        arrivedAt: now(),
      });
    });
    cursor = { mediaSequence: segment.mediaSequence, endAt: segment.startAt + segment.durationMs };
    firstSinceStart = false;
  }

  async function pass(): Promise<number> {
    const playlist = await loadMediaPlaylist();
    targetDurationMs = playlist.targetDurationMs;
    const plan = planSegments({
      cursor,
      playlist,
      now: now(),
      firstSinceStart,
      outage: store.openGap(source.id)?.reason ?? null,
    });
    let gap = plan.gap;
    for (const segment of plan.segments) {
      if (abort.signal.aborted) break;
      const file = segmentFile(source.id, segment);
      const bytes = await download(segment, file);
      index(segment, file, bytes, gap);
      gap = null;
    }
    return plan.segments.length;
  }

  async function run() {
    let failures = 0;
    while (!abort.signal.aborted) {
      let wait: number;
      try {
        const fresh = await pass();
        failures = 0;
        if (fresh > 0) {
          lastNewAt = now();
          setState('recording', null);
        } else if (now() - lastNewAt > STALL_TARGETS * targetDurationMs) {
          openOutage('stalled', `no new segment for ${Math.round((now() - lastNewAt) / 1000)} s`);
          setState('retrying', 'the playlist does not grow');
        }
        // RFC 8216 6.3.4: reload after a target duration, half of one when nothing changed.
        wait = fresh > 0 ? targetDurationMs : targetDurationMs / 2;
      } catch (error) {
        if (abort.signal.aborted) break;
        const message = error instanceof Error ? error.message : String(error);
        failures += 1;
        openOutage('fetch_error', message);
        setState('retrying', message);
        // A failing variant may have moved: ask the master again next time.
        mediaUrl = null;
        wait = backoffDelay(failures - 1, backoff);
      }
      await sleep(Math.max(100, wait), abort.signal);
    }
  }

  const running = run().catch((error: unknown) =>
    logger.error(`recorder ${source.name} stopped`, error),
  );

  return {
    get state() {
      return state;
    },
    get lastError() {
      return lastError;
    },
    get targetDurationMs() {
      return targetDurationMs;
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
}
