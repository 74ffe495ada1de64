import type { Migration } from '../migration';

/**
 * Station chat and handover notes. Messages keep their author's name as it was (an account may
 * be deleted; the conversation stays readable). The full-text index is an external-content FTS5
 * table kept in step by triggers, so the words are stored once. Read marks are one row per
 * person and room: unread counts are a range count on (room, id) after the mark.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'chat',
  up: (db) => {
    db.exec(`
      CREATE TABLE chat_messages (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX chat_messages_room ON chat_messages(room, id);
      CREATE INDEX chat_messages_room_at ON chat_messages(room, at);

      CREATE TABLE chat_mentions (
        message_id INTEGER NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (message_id, person_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX chat_mentions_person ON chat_mentions(person_id, message_id);

      CREATE TABLE chat_reads (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        room TEXT NOT NULL,
        last_read_id INTEGER NOT NULL,
        PRIMARY KEY (person_id, room)
      ) STRICT, WITHOUT ROWID;

      CREATE VIRTUAL TABLE chat_fts USING fts5(
        body, content='chat_messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER chat_messages_ai AFTER INSERT ON chat_messages BEGIN
        INSERT INTO chat_fts(rowid, body) VALUES (new.id, new.body);
      END;
      CREATE TRIGGER chat_messages_ad AFTER DELETE ON chat_messages BEGIN
        INSERT INTO chat_fts(chat_fts, rowid, body) VALUES ('delete', old.id, old.body);
      END;

      CREATE TABLE handover_notes (
        id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX handover_notes_channel ON handover_notes(channel_id, id);
    `);
  },
};
