// What "a stream" is for a subscriber's cap on streams at once.
//
// live.ts is simple: one open connection is one stream, held until it closes. HLS has no
// connection to hold: a player fetches a playlist every target duration and segments between.
// So an HLS stream is a *session* seen fetching a media playlist or a segment within the last
// STREAM_IDLE_MS. The master playlist hands each player a fresh session id (`s=` in the
// variant and segment URLs it lists); the session is the id together with the client's address,
// so one id shared between households is counted once per address. A request naming no session
// (a player that opened a media playlist directly) is its address and User-Agent.
// A player that stops (or zaps to another channel) frees its slot STREAM_IDLE_MS later.

/** How long an HLS session counts after its last playlist or segment request. */
export const STREAM_IDLE_MS = 15_000;

type Session = { channelId: number; lastSeen: number; held: boolean };

export class StreamSessions {
  private readonly bySubscriber = new Map<number, Map<string, Session>>();

  constructor(private readonly idleMs: number = STREAM_IDLE_MS) {}

  /** The subscriber's sessions still counting at `now` (idle ones are dropped here). */
  private live(subscriberId: number, now: number): Map<string, Session> {
    let sessions = this.bySubscriber.get(subscriberId);
    if (!sessions) {
      sessions = new Map();
      this.bySubscriber.set(subscriberId, sessions);
      return sessions;
    }
    for (const [key, session] of sessions)
      if (!session.held && now - session.lastSeen > this.idleMs) sessions.delete(key);
    return sessions;
  }

  count(subscriberId: number, now: number): number {
    const sessions = this.bySubscriber.get(subscriberId);
    if (!sessions) return 0;
    const n = this.live(subscriberId, now).size;
    if (n === 0) this.bySubscriber.delete(subscriberId);
    return n;
  }

  /** True when a new session would fit under `cap` (or `session` is already counting). */
  hasRoom(subscriberId: number, cap: number, now: number, session?: string): boolean {
    const sessions = this.live(subscriberId, now);
    return (session !== undefined && sessions.has(session)) || sessions.size < cap;
  }

  /** An HLS request: refreshes its session, or opens it when fewer than `cap` are counting. */
  touch(subscriberId: number, session: string, channelId: number, cap: number, now: number) {
    const sessions = this.live(subscriberId, now);
    const known = sessions.get(session);
    if (known) {
      known.lastSeen = now;
      known.channelId = channelId;
      return true;
    }
    if (sessions.size >= cap) return false;
    sessions.set(session, { channelId, lastSeen: now, held: false });
    return true;
  }

  /** A live.ts connection: counts until `release` is called. Null when the cap is reached. */
  hold(
    subscriberId: number,
    session: string,
    channelId: number,
    cap: number,
    now: number,
  ): (() => void) | null {
    const sessions = this.live(subscriberId, now);
    if (sessions.size >= cap) return null;
    sessions.set(session, { channelId, lastSeen: now, held: true });
    return () => {
      sessions.delete(session);
      if (sessions.size === 0 && this.bySubscriber.get(subscriberId) === sessions)
        this.bySubscriber.delete(subscriberId);
    };
  }

  /** Forgets a subscriber's HLS sessions (revoked, paused); held ones end with their stream. */
  forget(subscriberId: number): void {
    const sessions = this.bySubscriber.get(subscriberId);
    if (!sessions) return;
    for (const [key, session] of sessions) if (!session.held) sessions.delete(key);
  }
}
