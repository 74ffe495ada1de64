import { z } from 'zod';
import { Id } from './library';

/**
 * The multiview wall: named layouts (a grid and what each cell shows), saved in the station's
 * database so every window and the full-screen wall on a second monitor share them.
 */

/** Square presets the operator picks with one click; "custom" is any rows × cols up to the max. */
export const WALL_PRESETS = [1, 2, 3, 4, 5] as const;
export const WALL_MAX_SIDE = 6;

export const WallCellSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }).strict(),
  /** A channel's proxy rendition. */
  z.object({ kind: z.literal('channel'), channelId: Id }).strict(),
  /** An outside live stream the monitor watches (its source id). */
  z.object({ kind: z.literal('stream'), sourceId: Id }).strict(),
]);
export type WallCell = z.infer<typeof WallCellSchema>;

const Side = z.number().int().min(1).max(WALL_MAX_SIDE);

const LayoutShape = z
  .object({
    name: z.string().trim().min(1, 'a layout needs a name').max(80),
    cols: Side,
    rows: Side,
    /** Row by row, exactly cols × rows cells. */
    cells: z.array(WallCellSchema).max(WALL_MAX_SIDE * WALL_MAX_SIDE),
  })
  .strict();

const cellsFitGrid = (l: { cols: number; rows: number; cells: unknown[] }) =>
  l.cells.length === l.cols * l.rows;
const cellsMessage = { message: 'cells must hold exactly cols × rows entries', path: ['cells'] };

export const WallLayoutSchema = z.object({
  id: Id,
  name: z.string(),
  cols: Side,
  rows: Side,
  cells: z.array(WallCellSchema),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type WallLayout = z.infer<typeof WallLayoutSchema>;

export const WallLayoutSaveSchema = LayoutShape.extend({
  /** Absent: a new layout. Present: replaces that layout. */
  id: Id.optional(),
}).refine(cellsFitGrid, cellsMessage);
export type WallLayoutSave = z.infer<typeof WallLayoutSaveSchema>;

export const WallDisplaySchema = z.object({
  id: z.number().int(),
  label: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  primary: z.boolean(),
});
export type WallDisplay = z.infer<typeof WallDisplaySchema>;

const LayoutList = z.object({ layouts: z.array(WallLayoutSchema) });

/** The page address of the full-screen wall (a browser opens it; the desktop loads it). */
export function wallFullscreenPath(layoutId: number | null): string {
  const params = new URLSearchParams({ fullscreen: '1' });
  if (layoutId !== null) params.set('layout', String(layoutId));
  return `/?${params.toString()}#/wall`;
}

export const wallMethods = {
  /** Every saved layout, by name. */
  wallLayoutsList: { request: z.object({}).strict(), response: LayoutList },
  /** Creates or replaces a layout; names are unique (a clash is `conflict`). */
  wallLayoutSave: { request: WallLayoutSaveSchema, response: WallLayoutSchema },
  wallLayoutDelete: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id }),
  },
  /** Screens a full-screen wall can open on (desktop only; `serve` has none). */
  wallDisplays: {
    request: z.object({}).strict(),
    response: z.object({ displays: z.array(WallDisplaySchema) }),
  },
  /**
   * Opens the full-screen wall on a display (desktop). Where the core cannot open windows
   * (`serve`), `opened` is false and the caller opens `path` itself.
   */
  wallOpenFullscreen: {
    request: z.object({ layoutId: Id.nullable(), displayId: z.number().int().nullable() }).strict(),
    response: z.object({ opened: z.boolean(), path: z.string() }),
  },
} as const;

export const wallEvents = {
  /** Any layout was saved or deleted: the whole (short) list. */
  wallLayoutsChanged: LayoutList,
} as const;
