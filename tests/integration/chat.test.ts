// Presence, chat and handover notes over the real server: people signed in on their own
// sockets, each seeing only what the rules give them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelRoom,
  dmRoom,
  type ChatMessage,
  type ChatRoomSummary,
  type HandoverNote,
  type PresenceEntry,
  type Role,
} from '../../src-shared/contract';
import { makeTempDir } from '../helpers/temp-dir';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { connectWs, signIn } from '../helpers/sign-in';
import type { TestWsClient } from '../helpers/ws-client';

const PASSWORD = 'a-long-test-password';

describe('chat, presence and handover over the real server', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let admin: TestWsClient;
  let channelId: number;
  const sockets: TestWsClient[] = [];
  const ids: Record<string, number> = {};

  const ok = async <T>(client: TestWsClient, method: string, params: unknown): Promise<T> => {
    const result = await client.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as T;
  };
  const errorCode = async (client: TestWsClient, method: string, params: unknown) => {
    const result = await client.call(method, params);
    return result.ok ? 'ok' : result.error.code;
  };
  const person = async (username: string, role: Role) => {
    const created = await ok<{ id: number }>(admin, 'personCreate', {
      username,
      displayName: `${username[0]!.toUpperCase()}${username.slice(1)}`,
      password: PASSWORD,
      role,
    });
    ids[username] = created.id;
    return created.id;
  };
  const socketFor = async (username: string) => {
    const cookie = await signIn(served.server.url, username, PASSWORD);
    const client = await connectWs(served.server.url, cookie);
    sockets.push(client);
    return client;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    dir = makeTempDir();
    served = await startServedCore(dir.path);
    admin = await served.connect();
    sockets.push(admin);
    const channel = await served.call('channelCreate', { name: 'One', number: 1, slug: 'one' });
    channelId = channel.id;
    await person('ann', 'operator');
    await person('ben', 'editor');
    await person('cat', 'viewer');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await served.close();
    dir.remove();
  });

  it('keeps messages and pages through them, oldest first on each page', async () => {
    const ann = await socketFor('ann');
    const room = channelRoom(channelId);
    for (let i = 1; i <= 7; i += 1) await ok(ann, 'chatSend', { room, body: `line ${i}` });
    const first = await ok<{ messages: ChatMessage[]; nextBefore: number | null }>(
      admin,
      'chatHistory',
      { room, limit: 3 },
    );
    expect(first.messages.map((m) => m.body)).toEqual(['line 5', 'line 6', 'line 7']);
    expect(first.messages[0]).toMatchObject({ authorId: ids.ann, authorName: 'Ann', room });
    const second = await ok<{ messages: ChatMessage[]; nextBefore: number | null }>(
      admin,
      'chatHistory',
      { room, limit: 3, before: first.nextBefore },
    );
    expect(second.messages.map((m) => m.body)).toEqual(['line 2', 'line 3', 'line 4']);
    const last = await ok<{ messages: ChatMessage[]; nextBefore: number | null }>(
      admin,
      'chatHistory',
      { room, limit: 3, before: second.nextBefore },
    );
    expect(last.messages.map((m) => m.body)).toEqual(['line 1']);
    expect(last.nextBefore).toBeNull();
    // Kept in the database: a fresh read through the core's own dispatch finds them too.
    const again = await ok<{ messages: ChatMessage[] }>(await socketFor('cat'), 'chatHistory', {
      room,
      limit: 50,
    });
    expect(again.messages).toHaveLength(7);
  });

  it('refuses rooms that do not exist and DMs that are not yours', async () => {
    const cat = await socketFor('cat');
    expect(await errorCode(cat, 'chatSend', { room: 'channel:999', body: 'hi' })).toBe('not_found');
    expect(await errorCode(cat, 'chatSend', { room: 'nowhere', body: 'hi' })).toBe(
      'invalid_request',
    );
    const annBen = dmRoom(ids.ann!, ids.ben!);
    expect(await errorCode(cat, 'chatHistory', { room: annBen })).toBe('not_found');
    expect(await errorCode(cat, 'chatSend', { room: annBen, body: 'let me in' })).toBe('not_found');
  });

  it('sends a direct message to its two people only', async () => {
    const ann = await socketFor('ann');
    const ben = await socketFor('ben');
    const cat = await socketFor('cat');
    const room = dmRoom(ids.ann!, ids.ben!);
    const sent = await ok<ChatMessage>(ann, 'chatSend', { room, body: 'psst, the 9 o clock' });
    const isIt = (f: { event?: string; data?: unknown }) =>
      f.event === 'chatMessage' && (f.data as ChatMessage).id === sent.id;
    await ben.waitForFrame(isIt);
    await ann.waitForFrame(isIt);
    // A station message sent after it reaches cat: by then the DM would have arrived too.
    const later = await ok<ChatMessage>(ann, 'chatSend', { room: 'station', body: 'all hands' });
    await cat.waitForFrame(
      (f) => f.event === 'chatMessage' && (f.data as ChatMessage).id === later.id,
    );
    await admin.waitForFrame(
      (f) => f.event === 'chatMessage' && (f.data as ChatMessage).id === later.id,
    );
    expect(cat.frames.some(isIt)).toBe(false);
    expect(admin.frames.some(isIt)).toBe(false);
    // Search does not find it for anyone else either.
    const found = await ok<{ messages: ChatMessage[] }>(cat, 'chatSearch', { text: 'psst' });
    expect(found.messages).toEqual([]);
    const mine = await ok<{ messages: ChatMessage[] }>(ben, 'chatSearch', { text: 'psst' });
    expect(mine.messages.map((m) => m.id)).toEqual([sent.id]);
    // Ben's room list shows the DM; cat's does not.
    const benRooms = await ok<{ rooms: ChatRoomSummary[] }>(ben, 'chatRooms', {});
    expect(benRooms.rooms.map((r) => r.room)).toContain(room);
    const catRooms = await ok<{ rooms: ChatRoomSummary[] }>(cat, 'chatRooms', {});
    expect(catRooms.rooms.map((r) => r.room)).not.toContain(room);
  });

  it("keeps a channel's room to those whose account reaches the channel", async () => {
    const two = await served.call('channelCreate', { name: 'Two', number: 2, slug: 'two' });
    const dan = await person('dan', 'operator');
    await ok(admin, 'personUpdate', { id: dan, scope: { channels: [channelId], sources: null } });
    const danSocket = await socketFor('dan');
    const ann = await socketFor('ann');
    const other = channelRoom(two.id);
    const hidden = await ok<ChatMessage>(ann, 'chatSend', {
      room: other,
      body: 'rundown for two changes at nine, @dan',
    });
    // Not a mention for someone who may not read the room.
    expect(hidden.mentions).toEqual([]);
    const seen = await ok<ChatMessage>(ann, 'chatSend', {
      room: channelRoom(channelId),
      body: 'rundown for one stays',
    });
    await danSocket.waitForFrame(
      (f) => f.event === 'chatMessage' && (f.data as ChatMessage).id === seen.id,
    );
    expect(
      danSocket.frames.some(
        (f) => f.event === 'chatMessage' && (f.data as ChatMessage).id === hidden.id,
      ),
    ).toBe(false);
    const rooms = await ok<{ rooms: ChatRoomSummary[] }>(danSocket, 'chatRooms', {});
    expect(rooms.rooms.map((r) => r.room)).toContain(channelRoom(channelId));
    expect(rooms.rooms.map((r) => r.room)).not.toContain(other);
    expect(await errorCode(danSocket, 'chatHistory', { room: other, limit: 10 })).toBe('not_found');
    expect(await errorCode(danSocket, 'chatSend', { room: other, body: 'hello?' })).toBe(
      'not_found',
    );
    const found = await ok<{ messages: ChatMessage[] }>(danSocket, 'chatSearch', {
      text: 'rundown',
    });
    expect(found.messages.map((m) => m.id)).toEqual([seen.id]);
    // Everyone unscoped still reads both.
    const all = await ok<{ messages: ChatMessage[] }>(admin, 'chatSearch', { text: 'rundown' });
    expect(all.messages.map((m) => m.id).sort()).toEqual([hidden.id, seen.id].sort());
  });

  it('counts unread per person and room, and mark-read clears it in every window of theirs', async () => {
    const ben = await socketFor('ben');
    const benElsewhere = await socketFor('ben');
    const ann = await socketFor('ann');
    const room = 'station';
    const before = await ok<{ rooms: ChatRoomSummary[] }>(ben, 'chatRooms', {});
    const start = before.rooms.find((r) => r.room === room)!.unread;
    const a = await ok<ChatMessage>(ann, 'chatSend', { room, body: 'first' });
    const b = await ok<ChatMessage>(ann, 'chatSend', { room, body: 'second' });
    const after = await ok<{ rooms: ChatRoomSummary[] }>(ben, 'chatRooms', {});
    expect(after.rooms.find((r) => r.room === room)!.unread).toBe(start + 2);
    // The sender's own messages are not unread for her.
    const annRooms = await ok<{ rooms: ChatRoomSummary[] }>(ann, 'chatRooms', {});
    expect(annRooms.rooms.find((r) => r.room === room)!.unread).toBe(0);

    const partly = await ok<ChatRoomSummary>(ben, 'chatMarkRead', { room, lastReadId: a.id });
    expect(partly.unread).toBe(1);
    const all = await ok<ChatRoomSummary>(ben, 'chatMarkRead', { room, lastReadId: b.id });
    expect(all.unread).toBe(0);
    // A window that was behind cannot move the mark back.
    const back = await ok<ChatRoomSummary>(ben, 'chatMarkRead', { room, lastReadId: a.id });
    expect(back.unread).toBe(0);
    await benElsewhere.waitForFrame(
      (f) =>
        f.event === 'chatReadChanged' &&
        (f.data as { summary: ChatRoomSummary }).summary.unread === 0,
    );
    await sleep(200);
    expect(ann.frames.some((f) => f.event === 'chatReadChanged')).toBe(false);
  });

  it('raises a mention for the person named, and only if they may read the room', async () => {
    const ann = await socketFor('ann');
    const room = channelRoom(channelId);
    const message = await ok<ChatMessage>(ann, 'chatSend', {
      room,
      body: 'can you check the break, @BEN? thanks @cat.',
    });
    expect(message.mentions.sort()).toEqual([ids.ben, ids.cat].sort());
    const benRooms = await ok<{ rooms: ChatRoomSummary[] }>(
      await socketFor('ben'),
      'chatRooms',
      {},
    );
    const benRoom = benRooms.rooms.find((r) => r.room === room)!;
    expect(benRoom.mentions).toBe(1);
    expect(benRoom.unread).toBeGreaterThanOrEqual(1);
    // Naming someone in a DM they are not part of raises nothing for them.
    const dm = await ok<ChatMessage>(ann, 'chatSend', {
      room: dmRoom(ids.ann!, ids.ben!),
      body: 'do not tell @cat',
    });
    expect(dm.mentions).toEqual([]);
    // Unknown names are no mention.
    const nobody = await ok<ChatMessage>(ann, 'chatSend', { room, body: 'hi @nobody' });
    expect(nobody.mentions).toEqual([]);
  });

  it('finds a word with full-text search (prefixes and accents too)', async () => {
    const ann = await socketFor('ann');
    await ok(ann, 'chatSend', { room: 'station', body: 'The transmitter in Zürich is humming' });
    await ok(ann, 'chatSend', { room: 'station', body: 'Coffee is ready' });
    const hit = await ok<{ messages: ChatMessage[] }>(admin, 'chatSearch', { text: 'transmit' });
    expect(hit.messages.map((m) => m.body)).toEqual(['The transmitter in Zürich is humming']);
    const accent = await ok<{ messages: ChatMessage[] }>(admin, 'chatSearch', { text: 'zurich' });
    expect(accent.messages).toHaveLength(1);
    // Query syntax typed by a person is taken as words, never as FTS operators.
    const odd = await ok<{ messages: ChatMessage[] }>(admin, 'chatSearch', {
      text: '"coffee" OR NEAR(',
    });
    expect(odd.messages).toEqual([]);
    const inRoom = await ok<{ messages: ChatMessage[] }>(admin, 'chatSearch', {
      text: 'coffee',
      room: channelRoom(channelId),
    });
    expect(inRoom.messages).toEqual([]);
  });

  it('keeps the handover note with who and when, and its history', async () => {
    const ann = await socketFor('ann');
    const ben = await socketFor('ben');
    const first = await ok<HandoverNote>(ann, 'handoverSet', {
      channelId,
      text: 'Ad server flaky after 22:00',
    });
    expect(first).toMatchObject({ channelId, authorId: ids.ann, authorName: 'Ann' });
    await ben.waitForFrame(
      (f) => f.event === 'handoverChanged' && (f.data as HandoverNote).id === first.id,
    );
    await ok(admin, 'handoverSet', { channelId, text: 'Fixed; watch the 23:00 break' });
    const read = await ok<{ current: HandoverNote; history: HandoverNote[] }>(ben, 'handoverGet', {
      channelId,
    });
    expect(read.current.text).toBe('Fixed; watch the 23:00 break');
    expect(read.current.authorName).toBe('Administrator');
    expect(read.history.map((n) => n.text)).toEqual(['Ad server flaky after 22:00']);
    // Editors read it but do not write it.
    expect(await errorCode(ben, 'handoverSet', { channelId, text: 'mine now' })).toBe('forbidden');
    expect(await errorCode(ann, 'handoverGet', { channelId: 999 })).toBe('not_found');
  });

  it('shows who is on which screen while their windows are open', async () => {
    const cat = await socketFor('cat');
    const watcher = await socketFor('ben');
    await ok(cat, 'presenceReport', { screen: 'wall' });
    const seen = await watcher.waitForFrame(
      (f) =>
        f.event === 'presenceChanged' &&
        (f.data as { people: PresenceEntry[] }).people.some(
          (p) => p.personId === ids.cat && p.screens.includes('wall'),
        ),
    );
    expect(seen).toBeDefined();
    await ok(cat, 'presenceReport', { screen: 'chat' });
    const list = await ok<{ people: PresenceEntry[] }>(watcher, 'presenceList', {});
    expect(list.people.find((p) => p.personId === ids.cat)?.screens).toEqual(['chat']);
    // Closing the window takes the person off the list.
    cat.close();
    await waitFor(
      'cat to leave',
      async () => {
        const now = await ok<{ people: PresenceEntry[] }>(watcher, 'presenceList', {});
        return !now.people.some((p) => p.personId === ids.cat);
      },
      10_000,
    );
    // Signing out does too, even with the socket still open.
    const again = await socketFor('cat');
    await ok(again, 'presenceReport', { screen: 'schedule' });
    // The socket closes as the session ends, so the reply may never come: do not wait for it.
    void again.call('authSignOut', {});
    await waitFor(
      'cat to sign out',
      async () => {
        const now = await ok<{ people: PresenceEntry[] }>(watcher, 'presenceList', {});
        return !now.people.some((p) => p.personId === ids.cat);
      },
      10_000,
    );
  });
});
