import Hls, { type LevelDetails } from 'hls.js';
import { onUnrecoverableError } from '../../app/api/hls-fatal-error';
import { mediaAuthHeaders } from '../../app/api/media';
import { airTimeAt, positionForAirTime } from './air-time';

export type PlayerStatus = 'idle' | 'loading' | 'playing' | 'paused' | 'waiting' | 'problem';

/**
 * Review settings: a recording is watched from the past, so hls.js must never pull the player
 * back to the live edge (no latency cap: the default, unlike the wall's; no catch-up rate), and the buffer is counted in media
 * seconds, so at 8× the forward buffer is what keeps a tile smooth.
 */
const REVIEW_CONFIG: Partial<Hls['config']> = {
  autoStartLoad: false,
  maxLiveSyncPlaybackRate: 1,
  maxBufferLength: 60,
  maxMaxBufferLength: 120,
  backBufferLength: 10,
  enableWorker: true,
  startFragPrefetch: true,
};

/** Above this speed a tile plays the low-rate rendition (decoding is the limit there). */
export const FAST_RENDITION_ABOVE = 4;

export type PlayerSnapshot = {
  status: PlayerStatus;
  /** Air time of the frame on screen (UTC ms), null before the first frame. */
  airTime: number | null;
  /** 'waiting' events since the last `resetStalls`. */
  stalls: number;
  problem: string | null;
};

/**
 * One reusable player: a <video> element with its hls.js instance, attached once. A tile borrows
 * one from the pool and gives it back; switching the source or the rendition loads another
 * playlist into the same instance instead of creating a player (Chromium caps media players per
 * page). Air time is read from the frame actually presented (requestVideoFrameCallback's
 * mediaTime mapped through the fragments' program date-times), never from currentTime.
 */
export class ReviewPlayer {
  readonly video: HTMLVideoElement;
  private hls: Hls | null = null;
  private url: string | null = null;
  private fallback: string | null = null;
  private details: LevelDetails | null = null;
  /** Where to go once the next playlist arrives. */
  private pendingAir: number | null = null;
  private wantPlaying = false;
  private rate = 1;
  private suspended = false;
  private frameMedia: number | null = null;
  private snapshot: PlayerSnapshot = { status: 'idle', airTime: null, stalls: 0, problem: null };
  private listener: (() => void) | null = null;

  constructor() {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.preservesPitch = true;
    video.className = 'review-tile__video';
    video.setAttribute('aria-hidden', 'true');
    this.video = video;
    video.addEventListener('playing', () => this.set({ status: 'playing' }));
    video.addEventListener('pause', () => this.set({ status: this.url ? 'paused' : 'idle' }));
    video.addEventListener('waiting', () => {
      if (this.suspended || video.seeking) return;
      this.set({ status: 'waiting', stalls: this.snapshot.stalls + 1 });
    });
    video.addEventListener('ended', () => this.set({ status: 'paused' }));
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      this.frameMedia = meta.mediaTime;
      this.set({ airTime: this.airAt(meta.mediaTime) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  /** The latest state, for a UI that polls (the tiles read it a few times a second). */
  get state(): PlayerSnapshot {
    return this.snapshot;
  }

  /** Air time of the frame on screen right now: what a screenshot or a note is stamped with. */
  frameAirTime(): number | null {
    if (this.frameMedia === null) return null;
    return this.airAt(this.frameMedia);
  }

  onChange(listener: (() => void) | null) {
    this.listener = listener;
  }

  /**
   * Plays `url` from air time `at`. The same URL seeks in place; another URL (another source,
   * the other rendition, a wider window) loads into the same hls.js instance.
   */
  open(url: string, at: number, fallback: string | null = null) {
    if (url === this.url && this.details) {
      this.seekAir(at);
      return;
    }
    const hls = this.ensureHls();
    this.url = url;
    this.fallback = fallback;
    this.details = null;
    this.pendingAir = at;
    this.set({ status: 'loading', problem: null });
    hls.stopLoad();
    hls.loadSource(url);
  }

  /** Seeks to air time `at` (to what follows it when it falls in a gap). */
  seekAir(at: number) {
    if (!this.details) {
      this.pendingAir = at;
      return;
    }
    const placement = positionForAirTime(this.details.fragments, at);
    if (!placement) return;
    const end = this.details.totalduration;
    const position =
      placement.kind === 'after' ? Math.max(0, end - 1) : Math.min(placement.position, end);
    this.video.currentTime = position;
    this.frameMedia = position;
  }

  /** Whether air time `at` is recorded in the loaded playlist (not before, after or in a gap). */
  covers(at: number): boolean {
    return this.details ? positionForAirTime(this.details.fragments, at)?.kind === 'inside' : false;
  }

  /** The furthest air time the loaded playlist reaches (the live edge of a growing one). */
  edgeAirTime(): number | null {
    const last = this.details?.fragments.at(-1);
    if (!last || last.programDateTime === null) return null;
    return last.programDateTime + last.duration * 1000;
  }

  /** Air time where the loaded playlist starts. */
  startAirTime(): number | null {
    return this.details?.fragments[0]?.programDateTime ?? null;
  }

  setPlaying(playing: boolean) {
    this.wantPlaying = playing;
    if (playing && !this.suspended && this.details) void this.video.play().catch(() => undefined);
    if (!playing) this.video.pause();
  }

  setRate(rate: number) {
    this.rate = rate;
    this.video.defaultPlaybackRate = rate;
    this.video.playbackRate = rate;
  }

  setAudible(audible: boolean) {
    this.video.muted = !audible;
  }

  /** Pauses and steps one frame (1/25 s unless the stream says otherwise) forward or back. */
  stepFrame(direction: 1 | -1, frameSeconds = 0.04) {
    this.setPlaying(false);
    const from = this.frameMedia ?? this.video.currentTime;
    this.video.currentTime = Math.max(0, from + direction * frameSeconds);
  }

  /** A hidden tile stops loading (and playing); showing it again carries on where it was. */
  setSuspended(suspended: boolean) {
    if (suspended === this.suspended) return;
    this.suspended = suspended;
    if (suspended) {
      this.hls?.stopLoad();
      this.video.pause();
    } else if (this.details) {
      this.hls?.startLoad(this.video.currentTime);
      if (this.wantPlaying) void this.video.play().catch(() => undefined);
    }
  }

  resetStalls() {
    this.set({ stalls: 0 });
  }

  /** Back to the pool: nothing loads, nothing plays, the element keeps its decoder. */
  release() {
    this.wantPlaying = false;
    this.hls?.stopLoad();
    this.video.pause();
    this.video.muted = true;
    this.url = null;
    this.details = null;
    this.pendingAir = null;
    this.frameMedia = null;
    this.listener = null;
    this.snapshot = { status: 'idle', airTime: null, stalls: 0, problem: null };
    this.video.remove();
  }

  private airAt(position: number): number | null {
    return this.details ? airTimeAt(this.details.fragments, position) : null;
  }

  private set(patch: Partial<PlayerSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listener?.();
  }

  private ensureHls(): Hls {
    if (this.hls) return this.hls;
    const hls = new Hls({
      ...REVIEW_CONFIG,
      // Desktop: the loopback core wants the media ticket as a header; serve: the cookie does.
      xhrSetup: (xhr) => {
        for (const [name, value] of Object.entries(mediaAuthHeaders()))
          xhr.setRequestHeader(name, value);
      },
    });
    const onLevel = (_event: string, data: { details: LevelDetails }) => {
      this.details = data.details;
      if (this.pendingAir === null) return;
      const placement = positionForAirTime(data.details.fragments, this.pendingAir);
      this.pendingAir = null;
      const end = data.details.totalduration;
      const position = !placement
        ? 0
        : placement.kind === 'after'
          ? Math.max(0, end - 1)
          : Math.min(placement.position, end);
      this.frameMedia = position;
      if (!this.suspended) hls.startLoad(position);
      this.video.currentTime = position;
      this.video.playbackRate = this.rate;
      if (this.wantPlaying && !this.suspended) void this.video.play().catch(() => undefined);
      else this.set({ status: 'paused' });
    };
    hls.on(Hls.Events.LEVEL_LOADED, onLevel);
    hls.on(Hls.Events.LEVEL_UPDATED, (_event, data) => {
      this.details = data.details;
    });
    onUnrecoverableError(hls, (data) => {
      const status = data.response?.code;
      if (this.fallback && data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR) {
        // A core without the fast rendition: the same window at full rate.
        const fallback = this.fallback;
        this.fallback = null;
        this.url = fallback;
        hls.loadSource(fallback);
        return;
      }
      this.set({
        status: 'problem',
        problem: status === 404 ? 'Nothing recorded here' : `Cannot play (${data.details})`,
      });
      this.url = null;
    });
    hls.attachMedia(this.video);
    this.hls = hls;
    return hls;
  }
}

const pool: ReviewPlayer[] = [];

/** A player from the pool (a new one only when every pooled one is in use). */
export function borrowPlayer(): ReviewPlayer {
  return pool.pop() ?? new ReviewPlayer();
}

export function returnPlayer(player: ReviewPlayer) {
  player.release();
  if (!pool.includes(player)) pool.push(player);
}
