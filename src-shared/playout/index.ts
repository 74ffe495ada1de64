export * from './types';
export * from './timeline';
export * from './resolver';
export * from './hls';
export * from './scte35';
