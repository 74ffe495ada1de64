import { describe, expect, it } from 'vitest';
import { channelRoom, dmRoom, parseRoom, roomReadableBy } from '../../src-shared/contract';
import { mentionCandidates } from '../../src-main/core/chat/mentions';
import { ftsQuery } from '../../src-main/core/chat/chat-store';

describe('chat rooms, mentions and search terms', () => {
  it('names a DM the same from both sides and lets only its two people read it', () => {
    expect(dmRoom(7, 3)).toBe('dm:3-7');
    expect(dmRoom(3, 7)).toBe('dm:3-7');
    expect(parseRoom('dm:3-7')).toEqual({ kind: 'dm', people: [3, 7] });
    expect(parseRoom('dm:7-3')).toBeNull();
    expect(parseRoom(channelRoom(4))).toEqual({ kind: 'channel', channelId: 4 });
    const everywhere = (personId: number) => ({ personId, channels: null });
    expect(roomReadableBy('dm:3-7', everywhere(3))).toBe(true);
    expect(roomReadableBy('dm:13-7', everywhere(3))).toBe(false);
    expect(roomReadableBy('station', everywhere(99))).toBe(true);
  });

  it("lets a channel's room be read by those whose account reaches the channel", () => {
    expect(roomReadableBy(channelRoom(4), { personId: 3, channels: null })).toBe(true);
    expect(roomReadableBy(channelRoom(4), { personId: 3, channels: [2, 4] })).toBe(true);
    expect(roomReadableBy(channelRoom(4), { personId: 3, channels: [2] })).toBe(false);
    expect(roomReadableBy(channelRoom(4), { personId: 3, channels: [] })).toBe(false);
    expect(roomReadableBy('station', { personId: 3, channels: [] })).toBe(true);
    expect(roomReadableBy('dm:3-7', { personId: 3, channels: [] })).toBe(true);
  });

  it('finds @usernames at word starts, sentence punctuation trimmed', () => {
    expect(mentionCandidates('hi @Jane, and @bob.')).toEqual(['jane', 'bob.', 'bob']);
    expect(mentionCandidates('mail me at ops@example.tv')).toEqual([]);
    expect(mentionCandidates('@ann.lee@station.tv look')).toEqual(['ann.lee@station.tv']);
    expect(mentionCandidates('no mention here')).toEqual([]);
  });

  it('turns typed text into quoted prefix terms, never FTS syntax', () => {
    expect(ftsQuery('transmit zurich')).toBe('"transmit"* "zurich"*');
    expect(ftsQuery('"a" OR NEAR(')).toBe('"a"* "OR"* "NEAR"*');
    expect(ftsQuery('  --  ')).toBeNull();
  });
});
