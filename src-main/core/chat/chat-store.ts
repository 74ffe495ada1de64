// Chat messages, mentions, read marks and handover notes as stored (migration 0014).
import type { Database } from 'better-sqlite3';
import type {
  ChatMessage,
  ChatRoomSummary,
  HandoverNote,
  RoomReader,
} from '../../../src-shared/contract';

type MessageRow = {
  id: number;
  room: string;
  author_id: number | null;
  author_name: string;
  body: string;
  at: number;
  mentions: string | null;
};

type NoteRow = {
  id: number;
  channel_id: number;
  text: string;
  author_id: number | null;
  author_name: string;
  at: number;
};

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    room: row.room,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    mentions: row.mentions ? row.mentions.split(',').map(Number) : [],
    at: row.at,
  };
}

function toNote(row: NoteRow): HandoverNote {
  return {
    id: row.id,
    channelId: row.channel_id,
    text: row.text,
    authorId: row.author_id,
    authorName: row.author_name,
    at: row.at,
  };
}

const MESSAGE_COLUMNS = `m.id, m.room, m.author_id, m.author_name, m.body, m.at,
  (SELECT group_concat(person_id) FROM chat_mentions x WHERE x.message_id = m.id) AS mentions`;

/**
 * The rooms a person may read, as SQL over `m.room` (the same rule as roomReadableBy): the
 * station, the rooms of the channels their account reaches (`@channels`, a JSON array, or null
 * for all), and
 * DMs whose key names them on either side (`dm:<me>-…` or `dm:…-<me>`; the dash anchors the
 * id, so person 3 never matches `dm:13-4`). The id is cast because a bound JS number is a
 * REAL to SQLite, and `'dm:' || 3.0` is not a room.
 */
const READABLE = `(m.room = 'station'
  OR (m.room LIKE 'channel:%' AND (@channels IS NULL
      OR CAST(substr(m.room, 9) AS INTEGER) IN (SELECT value FROM json_each(@channels))))
  OR m.room LIKE 'dm:' || CAST(@me AS INTEGER) || '-%'
  OR m.room LIKE 'dm:%-' || CAST(@me AS INTEGER))`;

/** Turns what a person typed into an FTS5 query: each word a quoted prefix term, all required. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((word) => `"${word}"*`)
    .join(' ');
}

const readerParams = (reader: RoomReader) => ({
  me: reader.personId,
  channels: reader.channels === null ? null : JSON.stringify(reader.channels),
});

export function createChatStore(db: Database) {
  const insert = db.prepare<[string, number | null, string, string, number]>(
    'INSERT INTO chat_messages (room, author_id, author_name, body, at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertMention = db.prepare<[number, number]>(
    'INSERT OR IGNORE INTO chat_mentions (message_id, person_id) VALUES (?, ?)',
  );
  const byId = db.prepare<[number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.id = ?`,
  );
  const page = db.prepare<[string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room = ? AND m.id < ?
     ORDER BY m.id DESC LIMIT ?`,
  );
  const search = db.prepare<
    { me: number; channels: string | null; q: string; room: string | null; limit: number },
    MessageRow
  >(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_fts f JOIN chat_messages m ON m.id = f.rowid
     WHERE chat_fts MATCH @q AND ${READABLE} AND (@room IS NULL OR m.room = @room)
     ORDER BY m.id DESC LIMIT @limit`,
  );
  const summaries = db.prepare<
    { me: number; channels: string | null },
    { room: string; unread: number; mentions: number; last_at: number | null }
  >(
    `SELECT m.room AS room,
       SUM(m.id > COALESCE(r.last_read_id, 0) AND COALESCE(m.author_id, 0) != @me) AS unread,
       SUM(m.id > COALESCE(r.last_read_id, 0) AND COALESCE(m.author_id, 0) != @me
           AND EXISTS (SELECT 1 FROM chat_mentions x WHERE x.message_id = m.id AND x.person_id = @me))
         AS mentions,
       MAX(m.at) AS last_at
     FROM chat_messages m LEFT JOIN chat_reads r ON r.person_id = @me AND r.room = m.room
     WHERE ${READABLE}
     GROUP BY m.room`,
  );
  const summaryOf = db.prepare<
    { me: number; room: string },
    { unread: number; mentions: number; last_at: number | null }
  >(
    `SELECT
       COALESCE(SUM(m.id > COALESCE(r.last_read_id, 0) AND COALESCE(m.author_id, 0) != @me), 0) AS unread,
       COALESCE(SUM(m.id > COALESCE(r.last_read_id, 0) AND COALESCE(m.author_id, 0) != @me
           AND EXISTS (SELECT 1 FROM chat_mentions x WHERE x.message_id = m.id AND x.person_id = @me)), 0)
         AS mentions,
       MAX(m.at) AS last_at
     FROM chat_messages m LEFT JOIN chat_reads r ON r.person_id = @me AND r.room = m.room
     WHERE m.room = @room`,
  );
  // A read mark only moves forward: a window that was behind cannot make old messages unread.
  const markRead = db.prepare<{ me: number; room: string; id: number }>(
    `INSERT INTO chat_reads (person_id, room, last_read_id) VALUES (@me, @room, @id)
     ON CONFLICT (person_id, room) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)`,
  );
  const insertNote = db.prepare<[number, string, number | null, string, number]>(
    'INSERT INTO handover_notes (channel_id, text, author_id, author_name, at) VALUES (?, ?, ?, ?, ?)',
  );
  const noteById = db.prepare<[number], NoteRow>('SELECT * FROM handover_notes WHERE id = ?');
  const notes = db.prepare<[number, number], NoteRow>(
    'SELECT * FROM handover_notes WHERE channel_id = ? ORDER BY id DESC LIMIT ?',
  );
  const channelIds = db.prepare<[], { id: number }>('SELECT id FROM channels ORDER BY id');
  const channelExists = db.prepare<[number], { id: number }>(
    'SELECT id FROM channels WHERE id = ?',
  );

  const send = db.transaction(
    (input: {
      room: string;
      authorId: number | null;
      authorName: string;
      body: string;
      at: number;
      mentions: number[];
    }) => {
      const id = Number(
        insert.run(input.room, input.authorId, input.authorName, input.body, input.at)
          .lastInsertRowid,
      );
      for (const personId of input.mentions) insertMention.run(id, personId);
      return id;
    },
  );

  return {
    send(input: Parameters<typeof send>[0]): ChatMessage {
      return toMessage(byId.get(send(input))!);
    },
    /** Up to `limit` messages before `before` (newest page first), returned oldest first. */
    history(room: string, before: number | undefined, limit: number): ChatMessage[] {
      return page
        .all(room, before ?? Number.MAX_SAFE_INTEGER, limit)
        .reverse()
        .map(toMessage);
    },
    search(reader: RoomReader, text: string, room: string | null, limit: number): ChatMessage[] {
      const q = ftsQuery(text);
      return q ? search.all({ ...readerParams(reader), q, room, limit }).map(toMessage) : [];
    },
    summaries(reader: RoomReader): ChatRoomSummary[] {
      return summaries.all(readerParams(reader)).map((row) => ({
        room: row.room,
        unread: row.unread,
        mentions: row.mentions,
        lastMessageAt: row.last_at,
      }));
    },
    summary(me: number, room: string): ChatRoomSummary {
      const row = summaryOf.get({ me, room })!;
      return { room, unread: row.unread, mentions: row.mentions, lastMessageAt: row.last_at };
    },
    markRead(me: number, room: string, id: number): void {
      markRead.run({ me, room, id });
    },
    channelIds: () => channelIds.all().map((row) => row.id),
    channelExists: (id: number) => channelExists.get(id) !== undefined,
    setNote(input: {
      channelId: number;
      text: string;
      authorId: number | null;
      authorName: string;
      at: number;
    }): HandoverNote {
      const id = Number(
        insertNote.run(input.channelId, input.text, input.authorId, input.authorName, input.at)
          .lastInsertRowid,
      );
      return toNote(noteById.get(id)!);
    },
    /** The newest `limit` notes of a channel, newest first. */
    notes: (channelId: number, limit: number) => notes.all(channelId, limit).map(toNote),
  };
}
export type ChatStore = ReturnType<typeof createChatStore>;
