import { z } from 'zod';

/**
 * Presence, station chat and handover notes: how the people on shift talk to each other and
 * leave word for the next shift.
 */
const Id = z.number().int().positive();
const Instant = z.number().int();

/**
 * A room is a string key, the same in every window and in the database:
 * - `station`: everyone signed in;
 * - `channel:<id>`: one per channel (rooms follow the channel list);
 * - `dm:<a>-<b>`: two people, the smaller person id first, so both sides name it alike.
 */
export const RoomSchema = z
  .string()
  .max(40)
  .regex(/^(station|channel:[1-9]\d*|dm:[1-9]\d*-[1-9]\d*)$/, 'not a chat room');
export type Room = string;

export type ParsedRoom =
  | { kind: 'station' }
  | { kind: 'channel'; channelId: number }
  | { kind: 'dm'; people: [number, number] };

export const STATION_ROOM = 'station';

export function channelRoom(channelId: number): Room {
  return `channel:${channelId}`;
}

export function dmRoom(a: number, b: number): Room {
  return a < b ? `dm:${a}-${b}` : `dm:${b}-${a}`;
}

/** The room's kind and ids, or null for a key that is not a room (or a DM with oneself). */
export function parseRoom(room: string): ParsedRoom | null {
  if (room === STATION_ROOM) return { kind: 'station' };
  const channel = /^channel:([1-9]\d*)$/.exec(room);
  if (channel) return { kind: 'channel', channelId: Number(channel[1]) };
  const dm = /^dm:([1-9]\d*)-([1-9]\d*)$/.exec(room);
  if (dm) {
    const a = Number(dm[1]);
    const b = Number(dm[2]);
    return a < b ? { kind: 'dm', people: [a, b] } : null;
  }
  return null;
}

/** Who reads a room: a person, and the channels their account is limited to (null: all). */
export type RoomReader = { personId: number; channels: readonly number[] | null };

/**
 * True when the person may read (and write) the room: DMs are for their two people only, and a
 * channel's room for those whose account reaches that channel (what is said about a channel's
 * air is that channel's business, as its controls are).
 */
export function roomReadableBy(room: string, reader: RoomReader): boolean {
  const parsed = parseRoom(room);
  if (!parsed) return false;
  if (parsed.kind === 'dm') return parsed.people.includes(reader.personId);
  if (parsed.kind === 'channel')
    return reader.channels === null || reader.channels.includes(parsed.channelId);
  return true;
}

export const CHAT_MESSAGE_MAX = 4000;

export const ChatMessageSchema = z.object({
  id: Id,
  room: z.string(),
  /** Null once the author's account is deleted; the name stays as it was. */
  authorId: Id.nullable(),
  authorName: z.string(),
  body: z.string(),
  /** People named with @username who may read the room. */
  mentions: z.array(Id),
  at: Instant,
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatRoomSummarySchema = z.object({
  room: z.string(),
  /** Messages by others after the person's last read one. */
  unread: z.number().int().nonnegative(),
  /** Of those, how many name the person. */
  mentions: z.number().int().nonnegative(),
  lastMessageAt: Instant.nullable(),
});
export type ChatRoomSummary = z.infer<typeof ChatRoomSummarySchema>;

export const PresenceEntrySchema = z.object({
  personId: Id,
  username: z.string(),
  displayName: z.string(),
  /** The screens the person's open windows show (one per window, deduplicated, sorted). */
  screens: z.array(z.string()),
  /** When the person's earliest open window reported. */
  since: Instant,
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

export const HANDOVER_MAX = 4000;

export const HandoverNoteSchema = z.object({
  id: Id,
  channelId: Id,
  text: z.string(),
  authorId: Id.nullable(),
  authorName: z.string(),
  at: Instant,
});
export type HandoverNote = z.infer<typeof HandoverNoteSchema>;

const PresenceList = z.object({ people: z.array(PresenceEntrySchema) });

export const chatMethods = {
  /** The window reports the screen it shows (on every route change, never on a timer). */
  presenceReport: {
    request: z.object({ screen: z.string().trim().min(1).max(40) }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  presenceList: { request: z.object({}).strict(), response: PresenceList },
  /** Station, every channel's room and the caller's DMs, with their unread counts. */
  chatRooms: {
    request: z.object({}).strict(),
    response: z.object({ rooms: z.array(ChatRoomSummarySchema) }),
  },
  chatSend: {
    request: z
      .object({
        room: RoomSchema,
        body: z.string().trim().min(1, 'a message needs text').max(CHAT_MESSAGE_MAX),
      })
      .strict(),
    response: ChatMessageSchema,
  },
  /** Newest first pages, returned oldest first; `before` is the id ending the previous page. */
  chatHistory: {
    request: z
      .object({
        room: RoomSchema,
        before: Id.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.object({ messages: z.array(ChatMessageSchema), nextBefore: Id.nullable() }),
  },
  /** Full-text search over the rooms the caller may read (one room when named), newest first. */
  chatSearch: {
    request: z
      .object({
        text: z.string().trim().min(1).max(200),
        room: RoomSchema.optional(),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    response: z.object({ messages: z.array(ChatMessageSchema) }),
  },
  /** Everything up to `lastReadId` in the room is read (a lower id than before is ignored). */
  chatMarkRead: {
    request: z.object({ room: RoomSchema, lastReadId: Id }).strict(),
    response: ChatRoomSummarySchema,
  },
  handoverGet: {
    request: z
      .object({ channelId: Id, historyLimit: z.number().int().min(0).max(100).default(10) })
      .strict(),
    response: z.object({
      current: HandoverNoteSchema.nullable(),
      /** Earlier notes, newest first (the current one not repeated). */
      history: z.array(HandoverNoteSchema),
    }),
  },
  /** Replaces the channel's note; the old one stays in the history. Empty text clears it. */
  handoverSet: {
    request: z.object({ channelId: Id, text: z.string().trim().max(HANDOVER_MAX) }).strict(),
    response: HandoverNoteSchema,
  },
} as const;

export const chatEvents = {
  presenceChanged: PresenceList,
  /** Reaches everyone who may read the room (a DM: its two people only). */
  chatMessage: ChatMessageSchema,
  /** The person's own read mark moved (their other windows clear the badge). */
  chatReadChanged: z.object({ personId: Id, summary: ChatRoomSummarySchema }),
  handoverChanged: HandoverNoteSchema,
} as const;
