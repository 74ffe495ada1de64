export { createRecorderFeature, MAX_PLAYLIST_SEGMENTS } from './recorder-feature';
export type { RecorderApi, RecorderFeatureOptions, RecorderMethod } from './recorder-feature';
export { registerRecordingRoutes } from './recording-routes';
