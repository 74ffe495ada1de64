// Who counts as one viewer in the audience history: a subscriber's player (key and the session
// its master playlist handed out), a signed-in window, or an address and client.
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { subscriberPlayerOf, viewerIdentity } from '../../src-main/core/http/viewer-hits';

const KEY = `sub_${'a'.repeat(40)}`;
const requestWith = (query: Record<string, unknown>) => ({ query }) as unknown as FastifyRequest;

describe('viewer identity', () => {
  it("tells a subscriber's players apart by session, wherever they connect from", () => {
    const tv = viewerIdentity(undefined, '10.0.0.1', 'TV', { key: KEY, session: '01' });
    const phone = viewerIdentity(undefined, '10.0.0.1', 'TV', { key: KEY, session: '02' });
    const tvOnMobileData = viewerIdentity(undefined, '100.64.0.9', 'TV', {
      key: KEY,
      session: '01',
    });
    expect(tv).not.toBe(phone);
    expect(tvOnMobileData).toBe(tv);
    // The same address and client without a key is someone else.
    expect(viewerIdentity(undefined, '10.0.0.1', 'TV')).not.toBe(tv);
  });

  it('falls back to address and client for a keyed request without a session', () => {
    const a = viewerIdentity(undefined, '10.0.0.1', 'VLC', { key: KEY, session: undefined });
    const b = viewerIdentity(undefined, '10.0.0.2', 'VLC', { key: KEY, session: undefined });
    expect(a).not.toBe(b);
    expect(a).not.toBe(viewerIdentity(undefined, '10.0.0.1', 'VLC'));
  });

  it('reads the subscriber key and session from the query, and nothing else as one', () => {
    expect(subscriberPlayerOf(requestWith({ key: KEY, s: 'ab12' }))).toEqual({
      key: KEY,
      session: 'ab12',
    });
    expect(subscriberPlayerOf(requestWith({ key: 'station-output-key' }))).toBeUndefined();
    expect(subscriberPlayerOf(requestWith({}))).toBeUndefined();
    expect(subscriberPlayerOf(requestWith({ key: [KEY] }))).toBeUndefined();
  });
});
