// Cursor pagination: a list answers at most `limit` items and an opaque cursor for the rest.
// The cursor names the last item's sort key, not an offset, so items added or removed before
// it never make a client skip or repeat one.
import { z } from 'zod';
import { problem, ProblemError } from './problem';

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Items per page.'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('From `nextCursor` of the previous page; absent for the first page.'),
};

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .describe('Pass as `cursor` for the next page; null at the end.'),
    })
    .meta({ id });

type Key = readonly number[];

function compare(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function decode(cursor: string): Key {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.every((v) => Number.isInteger(v))) return value as number[];
  } catch {
    // falls through to the problem below
  }
  throw new ProblemError(problem(400, 'invalid_request', 'That cursor is not one this API gave.'));
}

/** The page after `cursor` of `items`, sorted ascending by `keyOf` (unique per item). */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => Key,
  query: { limit: number; cursor?: string | undefined },
): { items: T[]; nextCursor: string | null } {
  const after = query.cursor ? decode(query.cursor) : null;
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const rest = after ? sorted.filter((item) => compare(keyOf(item), after) > 0) : sorted;
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor:
      rest.length > query.limit && last
        ? Buffer.from(JSON.stringify(keyOf(last))).toString('base64url')
        : null,
  };
}
