export { createWallFeature } from './wall-feature';
export type { WallApi, WallMethod, WallScreens } from './wall-feature';
