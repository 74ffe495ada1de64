export { createPlayoutFeature, CUT_WAIT_MS } from './playout-feature';
export type { PlayoutApi, PlayoutMethod } from './playout-feature';
export type { ResolvedSegment, Substitution } from './segment-files';
export type { Variant } from './media-tables';
export { registerPlayoutRoutes } from './playout-routes';
