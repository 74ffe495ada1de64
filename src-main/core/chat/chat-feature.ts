// Presence, station chat and handover notes as a core feature. Rooms are the station, one per
// channel and direct messages between two people; who may read a room is decided here for
// calls and in rpc/event-filter.ts for events, with the same rule (roomReadableBy).
import {
  channelRoom,
  parseRoom,
  roomReadableBy,
  STATION_ROOM,
  type ChatRoomSummary,
  type HandoverNote,
  type MethodName,
} from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import type { Caller, Principal } from '../rpc/caller';
import { readerOf } from '../rpc/event-filter';
import { createChatStore } from './chat-store';
import { mentionCandidates } from './mentions';
import { createPresence, type Presence } from './presence';

export type ChatMethod = Extract<
  MethodName,
  | 'presenceReport'
  | 'presenceList'
  | 'chatRooms'
  | 'chatSend'
  | 'chatHistory'
  | 'chatSearch'
  | 'chatMarkRead'
  | 'handoverGet'
  | 'handoverSet'
>;

function principalOf(caller: Caller): Principal {
  if (caller.kind === 'window' && caller.principal) return caller.principal;
  throw new AppError('unauthorized', 'Sign in first.');
}

/** The people a feature needs from accounts: who a username is, and when sessions end. */
export type ChatPeople = {
  onSessionsEnded(listener: (sessionIds: number[]) => void): () => void;
};

export function createChatFeature(
  context: CoreContext,
  people: ChatPeople,
): Feature<ChatMethod> & {
  presence: Presence;
  handoverNote(channelId: number): HandoverNote | null;
} {
  const { db, bus, clock } = context;
  const store = createChatStore(db);
  const presence = createPresence(
    () => clock.now(),
    (list) => bus.emit('presenceChanged', { people: list }),
  );
  const personByUsername = db.prepare<[string], { id: number; scope: string }>(
    'SELECT id, scope FROM people WHERE username = ? COLLATE NOCASE AND disabled = 0',
  );
  const personExists = db.prepare<[number], { id: number }>('SELECT id FROM people WHERE id = ?');
  let stopSessions: (() => void) | undefined;

  /** A room the caller may use: it exists (a channel, a real second person) and is theirs. */
  function requireRoom(room: string, me: Principal): void {
    const parsed = parseRoom(room);
    if (!parsed || !roomReadableBy(room, readerOf(me)))
      throw new AppError('not_found', `No chat room ${room} for you.`);
    if (parsed.kind === 'channel' && !store.channelExists(parsed.channelId))
      throw new AppError('not_found', `Channel ${parsed.channelId} does not exist.`);
    if (parsed.kind === 'dm') {
      const other = parsed.people[0] === me.personId ? parsed.people[1] : parsed.people[0];
      if (!personExists.get(other))
        throw new AppError('not_found', `Person ${other} does not exist.`);
    }
  }

  /** People named with @username who may read the room (mentioning yourself raises nothing). */
  function mentionsIn(body: string, room: string, me: Principal): number[] {
    const ids = new Set<number>();
    for (const name of mentionCandidates(body)) {
      const row = personByUsername.get(name);
      if (!row || row.id === me.personId) continue;
      const { channels } = JSON.parse(row.scope) as { channels: number[] | null };
      if (roomReadableBy(room, { personId: row.id, channels })) ids.add(row.id);
    }
    return [...ids];
  }

  function rooms(me: Principal): ChatRoomSummary[] {
    const reader = readerOf(me);
    const known = new Map(store.summaries(reader).map((s) => [s.room, s]));
    const empty = (room: string): ChatRoomSummary => ({
      room,
      unread: 0,
      mentions: 0,
      lastMessageAt: null,
    });
    // The station and every channel always have a room; DMs exist once someone wrote.
    const fixed = [STATION_ROOM, ...store.channelIds().map(channelRoom)].filter((room) =>
      roomReadableBy(room, reader),
    );
    const dms = [...known.keys()].filter((room) => parseRoom(room)?.kind === 'dm');
    return [...fixed, ...dms.sort()].map((room) => known.get(room) ?? empty(room));
  }

  return {
    presence,
    handoverNote: (channelId) => store.notes(channelId, 1)[0] ?? null,
    start() {
      stopSessions = people.onSessionsEnded((ids) => presence.endSessions(ids));
    },
    async close() {
      stopSessions?.();
    },
    handlers: {
      presenceReport: ({ screen }, caller) => {
        const me = principalOf(caller);
        const connectionId = caller.kind === 'window' ? caller.connectionId : undefined;
        if (!connectionId) throw new AppError('invalid_request', 'Only a window has a screen.');
        presence.set(connectionId, me, screen);
        return { ok: true as const };
      },
      presenceList: () => ({ people: presence.list() }),
      chatRooms: (_request, caller) => ({ rooms: rooms(principalOf(caller)) }),
      chatSend: ({ room, body }, caller) => {
        const me = principalOf(caller);
        requireRoom(room, me);
        const message = store.send({
          room,
          authorId: me.personId,
          authorName: me.displayName,
          body,
          at: clock.now(),
          mentions: mentionsIn(body, room, me),
        });
        // What I wrote, I have read.
        store.markRead(me.personId, room, message.id);
        bus.emit('chatMessage', message);
        return message;
      },
      chatHistory: ({ room, before, limit }, caller) => {
        requireRoom(room, principalOf(caller));
        const messages = store.history(room, before, limit);
        return {
          messages,
          nextBefore: messages.length === limit && messages[0] ? messages[0].id : null,
        };
      },
      chatSearch: ({ text, room, limit }, caller) => {
        const me = principalOf(caller);
        if (room !== undefined) requireRoom(room, me);
        return { messages: store.search(readerOf(me), text, room ?? null, limit) };
      },
      chatMarkRead: ({ room, lastReadId }, caller) => {
        const me = principalOf(caller);
        requireRoom(room, me);
        store.markRead(me.personId, room, lastReadId);
        const summary = store.summary(me.personId, room);
        bus.emit('chatReadChanged', { personId: me.personId, summary });
        return summary;
      },
      handoverGet: ({ channelId, historyLimit }) => {
        if (!store.channelExists(channelId))
          throw new AppError('not_found', `Channel ${channelId} does not exist.`);
        const [current, ...history] = store.notes(channelId, historyLimit + 1);
        return { current: current ?? null, history };
      },
      handoverSet: ({ channelId, text }, caller) => {
        const me = principalOf(caller);
        if (!store.channelExists(channelId))
          throw new AppError('not_found', `Channel ${channelId} does not exist.`);
        const note = store.setNote({
          channelId,
          text,
          authorId: me.personId,
          authorName: me.displayName,
          at: clock.now(),
        });
        bus.emit('handoverChanged', note);
        return note;
      },
    },
  };
}
