export {
  FFMPEG_ENV,
  FFPROBE_ENV,
  FfmpegNotFoundError,
  bundledFfmpegPath,
  describeBinaries,
  findOnPath,
  probeFfmpegVersion,
  resolveFfmpeg,
  unpackedAsarPath,
} from './resolve-binaries';
export type {
  BinaryName,
  BinarySource,
  ResolveFfmpegOptions,
  ResolvedBinaries,
  ResolvedBinary,
} from './resolve-binaries';
export { createProgressParser, parseFfmpegTimestamp } from './progress-parser';
export type { FfmpegProgress, ProgressParser, ProgressParserOptions } from './progress-parser';
export { StderrRing } from './stderr-ring';
export type { StderrRingOptions } from './stderr-ring';
export { TypedEvents } from './typed-events';
export type { Listener } from './typed-events';
export {
  DEFAULT_KILL_GRACE_MS,
  FFMPEG_BASE_ARGS,
  FfmpegCancelledError,
  FfmpegError,
  FfmpegProcess,
  runFfmpeg,
} from './ffmpeg-process';
export type {
  FfmpegExit,
  FfmpegProcessEvents,
  FfmpegResult,
  RunFfmpegOptions,
} from './ffmpeg-process';
export { FfmpegRegistry, createFfmpegRegistry } from './ffmpeg-registry';
export type { FfmpegProcessInfo, RegistryProcess, RegistryStoppable } from './ffmpeg-registry';
export {
  DEFAULT_BACKOFF,
  DEFAULT_STABLE_AFTER_MS,
  backoffDelay,
  superviseFfmpeg,
} from './ffmpeg-supervisor';
export type {
  BackoffOptions,
  SuperviseFfmpegOptions,
  SupervisedFfmpeg,
  SupervisorState,
} from './ffmpeg-supervisor';
export {
  HLS_PLAYLIST,
  HLS_SEGMENT_PATTERN,
  buildFilmstripArgs,
  buildIngestEncodeArgs,
  buildPosterArgs,
  buildTestPatternArgs,
  buildFrameGrabArgs,
  buildClipCutArgs,
  buildFastRenditionArgs,
  buildRemuxToHlsArgs,
  seekForFrameOnAir,
} from './command-builders';
export type {
  FilmstripOptions,
  IngestEncodeOptions,
  IngestProfile,
  TestPatternOptions,
  FrameGrabOptions,
  ClipCutOptions,
  FastRenditionOptions,
  RemuxToHlsOptions,
} from './command-builders';
