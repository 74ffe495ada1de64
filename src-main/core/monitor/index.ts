export { createMonitorFeature, proxyPlaylistUrl } from './monitor-feature';
export type { MonitorApi, MonitorMethod, MonitorOptions } from './monitor-feature';
export { MONITOR_USER_AGENT } from './detector-args';
