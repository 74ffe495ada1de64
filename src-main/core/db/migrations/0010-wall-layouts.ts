import type { Migration } from '../migration';

/**
 * Multiview wall layouts. The cells are one JSON array (row by row) because a layout is always
 * read and written whole; a cell naming a channel or stream that no longer exists shows as
 * "source gone" on the wall rather than blocking the source's removal.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'wall-layouts',
  up: (db) => {
    db.exec(`
      CREATE TABLE wall_layouts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        cols INTEGER NOT NULL CHECK (cols BETWEEN 1 AND 6),
        rows INTEGER NOT NULL CHECK (rows BETWEEN 1 AND 6),
        cells TEXT NOT NULL CHECK (json_valid(cells)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
