// One permission for every method, event and HTTP route, declared beside the contract. The maps
// use `satisfies Record<Name, Permission>`, so a new method or event without a permission does not
// compile; the dispatcher and every transport read them before anything runs.
import type { EventName, MethodName } from './index';
import type { Role, Scope } from './people';
import type { ApiScope } from './api-keys';

export const permissions = [
  /** No session needed: sign-in, first-run set-up, public outputs. */
  'public',
  /** Any signed-in person acting on their own account (password, sessions, second factor). */
  'self',
  /** Read the station: lists, statuses, schedules, alarms, the library. */
  'station.read',
  'library.edit',
  'schedule.edit',
  'playout.control',
  'alarms.acknowledge',
  'wall.edit',
  /** Channels themselves (create, rename, delete, order). */
  'channels.manage',
  /** Station, house, cache, alarm and schedule settings. */
  'settings.manage',
  /** Disk reach: import paths and watch folders on the server's disk. */
  'disk.manage',
  /** Network reach: outside-stream URLs, push targets, output keys. */
  'network.manage',
  /** Storage locations (endpoints and credentials). */
  'storage.manage',
  'people.read',
  'people.manage',
  'audit.read',
  /**
   * Watch recordings (playlists, segments, coverage, finished screenshots and clips). Every
   * role has it: the wall already shows the same outside streams live to anyone who reads the
   * station, and an operator checking what went out needs the recording as much as an editor.
   * It is its own right so a station can take it away from a role without touching the rest.
   */
  'review.read',
  /** Notes, screenshots and clips on recordings (server work, so not for every reader). */
  'review.edit',
  /** Presence, the station's chat rooms and direct messages. */
  'chat.use',
  /** Writing a channel's handover note (may be limited to chosen channels). */
  'handover.write',
  /** Plan shifts, series, templates and time off for everyone. */
  'shifts.manage',
  /** Read the minute-by-minute desk statistics of people and sources. */
  'stats.read',
  /** Build and export reports (notes and statistics) as DOCX, XLSX, PDF or CSV. */
  'reports.manage',
  /** Issue, revoke and read the usage of integrator API keys (their reach is the station's). */
  'api.manage',
  /** Viewer subscriptions: plans, subscribers' keys, their usage (keys reach the outputs). */
  'subscribers.manage',
  /** Audience history: viewers per channel over time and per programme (the ratings). */
  'audience.read',
  /**
   * Scrape `/metrics` (the station's own monitoring): figures about the whole station,
   * API keys' request counts included, so not part of reading the station.
   */
  'metrics.read',
] as const;
export type Permission = (typeof permissions)[number];

/** Rights that may be limited to chosen channels (Scope.channels). */
export const channelScopedPermissions: ReadonlySet<Permission> = new Set([
  'schedule.edit',
  'playout.control',
  'handover.write',
]);

// Every role chats, viewers too: a station's chat is how a producer watching the output tells
// the operator something is wrong, and talking changes nothing on air. Handover notes are the
// shift's word to the next shift on a channel, so they are written by the people who run the
// channel (operators, schedulers) and read by everyone.
const reader: Permission[] = ['self', 'station.read', 'people.read', 'review.read', 'chat.use'];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions.filter((p) => p !== 'public'),
  operator: [...reader, 'playout.control', 'alarms.acknowledge', 'wall.edit', 'handover.write'],
  scheduler: [...reader, 'schedule.edit', 'handover.write'],
  librarian: [...reader, 'library.edit'],
  editor: [...reader, 'review.edit'],
  viewer: [...reader],
  manager: [...reader, 'shifts.manage', 'stats.read', 'reports.manage', 'audience.read'],
};

export const methodPermissions = {
  appInfo: 'station.read',
  mediaAccess: 'station.read',
  healthGet: 'station.read',
  settingsGet: 'station.read',
  settingsSet: 'settings.manage',
  // people
  authStatus: 'public',
  authSetup: 'public',
  authSignIn: 'public',
  authSignOut: 'self',
  passwordChange: 'self',
  totpBegin: 'self',
  totpConfirm: 'self',
  totpDisable: 'self',
  sessionsList: 'self',
  sessionRevoke: 'self',
  peopleList: 'people.read',
  personCreate: 'people.manage',
  personUpdate: 'people.manage',
  personResetPassword: 'people.manage',
  personDelete: 'people.manage',
  auditList: 'audit.read',
  auditExport: 'audit.read',
  // library
  libraryFolders: 'station.read',
  libraryCreateFolder: 'library.edit',
  libraryRenameFolder: 'library.edit',
  libraryMoveFolder: 'library.edit',
  libraryDeleteFolder: 'library.edit',
  libraryQuery: 'station.read',
  libraryAsset: 'station.read',
  libraryRenameAsset: 'library.edit',
  librarySetTags: 'library.edit',
  libraryMoveAssets: 'library.edit',
  libraryDeleteAssets: 'library.edit',
  libraryImportPaths: 'disk.manage',
  ingestRetry: 'library.edit',
  ingestCancel: 'library.edit',
  libraryFolderPath: 'station.read',
  watchFoldersList: 'disk.manage',
  watchFoldersAdd: 'disk.manage',
  watchFoldersRemove: 'disk.manage',
  // schedule
  channelsList: 'station.read',
  channelCreate: 'channels.manage',
  channelUpdate: 'channels.manage',
  channelReorder: 'channels.manage',
  channelDelete: 'channels.manage',
  scheduleSettingsGet: 'station.read',
  scheduleSettingsSet: 'settings.manage',
  scheduleRange: 'station.read',
  scheduleGet: 'station.read',
  scheduleAdd: 'schedule.edit',
  scheduleMove: 'schedule.edit',
  scheduleTrim: 'schedule.edit',
  scheduleDuplicate: 'schedule.edit',
  scheduleDelete: 'schedule.edit',
  scheduleBatch: 'schedule.edit',
  scheduleFillRange: 'schedule.edit',
  scheduleFillGap: 'schedule.edit',
  scheduleCopyDays: 'schedule.edit',
  templatesList: 'station.read',
  templateCreate: 'schedule.edit',
  templateUpdate: 'schedule.edit',
  templateDelete: 'schedule.edit',
  templateApply: 'schedule.edit',
  scheduleValidate: 'station.read',
  scheduleExport: 'station.read',
  scheduleImport: 'schedule.edit',
  // playout
  playoutStart: 'playout.control',
  playoutStop: 'playout.control',
  playoutTakeNext: 'playout.control',
  playoutSkip: 'playout.control',
  playoutInsertNow: 'playout.control',
  playoutBreakNow: 'playout.control',
  playoutHold: 'playout.control',
  playoutRelease: 'playout.control',
  playoutStatus: 'station.read',
  asRunList: 'station.read',
  asRunExport: 'station.read',
  outputsSettingsGet: 'network.manage',
  outputsSettingsSet: 'network.manage',
  pushOutputsList: 'network.manage',
  pushOutputSet: 'network.manage',
  // storage
  storageLocationsList: 'station.read',
  storageLocationsAdd: 'storage.manage',
  storageLocationsUpdate: 'storage.manage',
  storageLocationsRemove: 'storage.manage',
  storageLocationsTest: 'storage.manage',
  storageBrowse: 'library.edit',
  storageImport: 'library.edit',
  storagePublishingStatus: 'station.read',
  cacheStatus: 'station.read',
  cacheSettingsGet: 'station.read',
  cacheSettingsSet: 'settings.manage',
  cachePin: 'library.edit',
  // monitor
  monitorSourcesList: 'station.read',
  monitorSourceAdd: 'network.manage',
  monitorSourceUpdate: 'network.manage',
  monitorSourceRemove: 'network.manage',
  monitorSourceProbe: 'network.manage',
  alarmsList: 'station.read',
  alarmAcknowledge: 'alarms.acknowledge',
  alarmsAcknowledgeAll: 'alarms.acknowledge',
  alarmsSettingsGet: 'station.read',
  alarmsSettingsSet: 'settings.manage',
  dashboardGet: 'station.read',
  // wall
  wallLayoutsList: 'station.read',
  wallLayoutSave: 'wall.edit',
  wallLayoutDelete: 'wall.edit',
  wallDisplays: 'station.read',
  wallOpenFullscreen: 'wall.edit',
  // recorder and review: sources are URLs the server fetches (network reach); editors pick
  recorderSourcesList: 'review.read',
  recorderSourceAdd: 'network.manage',
  recorderSourceUpdate: 'network.manage',
  recorderSourceRemove: 'network.manage',
  recordingCoverage: 'review.read',
  reviewScreenshot: 'review.edit',
  reviewClip: 'review.edit',
  reviewJobsList: 'review.read',
  reviewClipBatch: 'review.edit',
  reviewBatchGet: 'review.read',
  clipsList: 'review.read',
  clipTargetsList: 'review.read',
  // Folder targets lie inside the allowed folders (disk.manage sets those); S3 ones use a
  // storage location someone with storage.manage made.
  clipTargetAdd: 'settings.manage',
  clipTargetUpdate: 'settings.manage',
  clipTargetRemove: 'settings.manage',
  clipDeliver: 'review.edit',
  clipDeliveryRetry: 'review.edit',
  recorderSettingsGet: 'station.read',
  recorderSettingsSet: 'settings.manage',
  // chat
  presenceReport: 'chat.use',
  presenceList: 'chat.use',
  chatRooms: 'chat.use',
  chatSend: 'chat.use',
  chatHistory: 'chat.use',
  chatSearch: 'chat.use',
  chatMarkRead: 'chat.use',
  handoverGet: 'station.read',
  handoverSet: 'handover.write',
  // shifts, statistics, reports (the rota itself is readable by everyone at the station)
  shiftsRange: 'station.read',
  shiftCreate: 'shifts.manage',
  shiftUpdate: 'shifts.manage',
  shiftDelete: 'shifts.manage',
  shiftSeriesCreate: 'shifts.manage',
  shiftSeriesUpdate: 'shifts.manage',
  shiftSeriesDelete: 'shifts.manage',
  shiftSeriesException: 'shifts.manage',
  shiftTemplatesList: 'station.read',
  shiftTemplateSave: 'shifts.manage',
  shiftTemplateDelete: 'shifts.manage',
  timeOffCreate: 'shifts.manage',
  timeOffDelete: 'shifts.manage',
  shiftSettingsGet: 'station.read',
  shiftSettingsSet: 'shifts.manage',
  statsMinutes: 'stats.read',
  statsBuckets: 'stats.read',
  reportBuild: 'reports.manage',
  // notes on recordings; the desk's statistics feed is about the caller only
  noteTemplatesList: 'review.read',
  noteTemplateSave: 'settings.manage',
  noteTemplateDelete: 'settings.manage',
  notesCreate: 'review.edit',
  notesUpdate: 'review.edit',
  notesDelete: 'review.edit',
  notesList: 'review.read',
  notesSearch: 'review.read',
  noteHistory: 'review.read',
  deskEventsReport: 'self',
  myShift: 'self',
  reportTemplatesList: 'reports.manage',
  reportTemplateSave: 'reports.manage',
  reportTemplateDelete: 'reports.manage',
  reportHistory: 'reports.manage',
  reportSchedulesList: 'reports.manage',
  // A schedule writes files to the server's disk or a storage location unattended.
  reportScheduleSave: 'disk.manage',
  reportScheduleDelete: 'disk.manage',
  reportScheduleRunNow: 'reports.manage',
  // integrator API keys
  apiKeysList: 'api.manage',
  apiKeyCreate: 'api.manage',
  apiKeyRevoke: 'api.manage',
  apiKeyUsage: 'api.manage',
  apiWebhooksList: 'api.manage',
  apiWebhookAdd: 'api.manage',
  apiWebhookRemove: 'api.manage',
  apiWebhookTest: 'api.manage',
  apiWebhookDeliveries: 'api.manage',
  subscriberPlansList: 'subscribers.manage',
  subscriberPlanSave: 'subscribers.manage',
  subscriberPlanDelete: 'subscribers.manage',
  subscribersList: 'subscribers.manage',
  subscriberCreate: 'subscribers.manage',
  subscriberUpdate: 'subscribers.manage',
  subscriberRevoke: 'subscribers.manage',
  subscriberUsage: 'subscribers.manage',
  // audience history
  audienceByProgramme: 'audience.read',
  audienceSeries: 'audience.read',
} as const satisfies Record<MethodName, Permission>;

export const eventPermissions = {
  clockTick: 'station.read',
  healthTick: 'station.read',
  settingsChanged: 'station.read',
  peopleChanged: 'people.read',
  // Also filtered per person: only the person concerned and people managers receive it.
  sessionsChanged: 'self',
  auditAppended: 'audit.read',
  assetChanged: 'station.read',
  assetsRemoved: 'station.read',
  foldersChanged: 'station.read',
  watchFoldersChanged: 'disk.manage',
  channelsChanged: 'station.read',
  scheduleChanged: 'station.read',
  scheduleSettingsChanged: 'station.read',
  templatesChanged: 'station.read',
  playoutChanged: 'station.read',
  asRunAppended: 'station.read',
  playoutAlarm: 'station.read',
  outputsSettingsChanged: 'network.manage',
  pushOutputsChanged: 'network.manage',
  storageLocationsChanged: 'station.read',
  downloadProgress: 'station.read',
  cacheChanged: 'station.read',
  cacheAlarm: 'station.read',
  publishingChanged: 'station.read',
  alarmChanged: 'station.read',
  alarmsSettingsChanged: 'station.read',
  monitorSourcesChanged: 'station.read',
  dashboardTick: 'station.read',
  wallLayoutsChanged: 'station.read',
  recorderSourcesChanged: 'review.read',
  reviewJobChanged: 'review.read',
  clipDeliveryChanged: 'review.read',
  clipTargetsChanged: 'review.read',
  recorderAlarm: 'station.read',
  presenceChanged: 'chat.use',
  // Also filtered per room: a direct message reaches its two people only.
  chatMessage: 'chat.use',
  // Also filtered per person: only that person's windows.
  chatReadChanged: 'chat.use',
  handoverChanged: 'station.read',
  shiftsChanged: 'station.read',
  statsChanged: 'stats.read',
  // Also filtered per person: a person limited to some sources sees only their notes.
  noteChanged: 'review.read',
  noteTemplatesChanged: 'review.read',
  reportsChanged: 'reports.manage',
  reportProgress: 'reports.manage',
  apiKeysChanged: 'api.manage',
  subscribersChanged: 'subscribers.manage',
  audienceMinutes: 'audience.read',
} as const satisfies Record<EventName, Permission>;

/**
 * Methods that change nothing. Every other method a person calls is appended to the audit log
 * (sign-in and sign-out are recorded by the people service itself, with the address).
 */
export const readOnlyMethods: ReadonlySet<MethodName> = new Set<MethodName>([
  'appInfo',
  'mediaAccess',
  'healthGet',
  'settingsGet',
  'authStatus',
  'authSetup',
  'authSignIn',
  'authSignOut',
  'sessionsList',
  'peopleList',
  'auditList',
  'auditExport',
  'libraryFolders',
  'libraryQuery',
  'libraryAsset',
  'libraryFolderPath',
  'watchFoldersList',
  'channelsList',
  'scheduleSettingsGet',
  'scheduleRange',
  'scheduleGet',
  'templatesList',
  'scheduleValidate',
  'scheduleExport',
  'playoutStatus',
  'asRunList',
  'asRunExport',
  'outputsSettingsGet',
  'pushOutputsList',
  'storageLocationsList',
  'storageBrowse',
  'storagePublishingStatus',
  'cacheStatus',
  'cacheSettingsGet',
  'monitorSourcesList',
  'monitorSourceProbe',
  'alarmsList',
  'alarmsSettingsGet',
  'dashboardGet',
  'wallLayoutsList',
  'wallDisplays',
  'recorderSourcesList',
  'recordingCoverage',
  'reviewJobsList',
  'reviewBatchGet',
  'clipsList',
  'clipTargetsList',
  'recorderSettingsGet',
  // Where a window is and what it has read are not changes to the station; auditing them would
  // bury the log under every click. (chatSend is audited, without the words: audit-format.ts.)
  'presenceReport',
  'presenceList',
  'chatRooms',
  'chatHistory',
  'chatSearch',
  'chatMarkRead',
  'handoverGet',
  'shiftsRange',
  'shiftTemplatesList',
  'shiftSettingsGet',
  'statsMinutes',
  'noteTemplatesList',
  'notesList',
  'notesSearch',
  'noteHistory',
  // The desk reports every few seconds; the statistics are its record, not the audit log.
  'deskEventsReport',
  'statsBuckets',
  'myShift',
  'reportTemplatesList',
  'reportHistory',
  'reportSchedulesList',
  'apiKeysList',
  'apiKeyUsage',
  'apiWebhooksList',
  'apiWebhookDeliveries',
  'subscriberPlansList',
  'subscribersList',
  'subscriberUsage',
  'audienceByProgramme',
  'audienceSeries',
]);

/**
 * Every HTTP route, as fastify registers it (method and URL pattern). The server refuses to
 * start with a route that is not listed here (http/route-guard.ts), so none slips in unguarded.
 * Public outputs are public on purpose: players and media servers cannot sign in (a station
 * may still require its output key on them).
 */
export const routePermissions = {
  'GET /healthz': 'public',
  /** Prometheus exposition: a signed-in person or an API key with the metrics:read scope. */
  'GET /metrics': 'metrics.read',
  'GET /api/ws': 'station.read',
  'GET /api/auth/status': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': 'self',
  'GET /media/*': 'station.read',
  'PUT /api/library/upload': 'library.edit',
  'GET /channels/:slug/index.m3u8': 'public',
  'GET /channels/:slug/main.m3u8': 'public',
  'GET /channels/:slug/proxy.m3u8': 'public',
  'GET /channels/:slug/:variant/seg/:msn': 'public',
  'GET /channels/:slug/live.ts': 'public',
  'GET /iptv/channels.m3u': 'public',
  'GET /iptv/epg.xml': 'public',
  'GET /discover.json': 'public',
  'GET /lineup_status.json': 'public',
  'GET /lineup.json': 'public',
  'GET /device.xml': 'public',
  'GET /k/:key/discover.json': 'public',
  'GET /k/:key/lineup_status.json': 'public',
  'GET /k/:key/lineup.json': 'public',
  'GET /k/:key/device.xml': 'public',
  // A subscriber's personal playlist and guide: the key in the path is the credential.
  'GET /sub/:key/playlist.m3u': 'public',
  'GET /sub/:key/xmltv.xml': 'public',
  'GET /recordings/:sourceId/vod.m3u8': 'review.read',
  'GET /recordings/:sourceId/live.m3u8': 'review.read',
  'GET /recordings/:sourceId/seg/:id': 'review.read',
  'GET /recordings/:sourceId/fast.m3u8': 'review.read',
  'GET /recordings/:sourceId/fast/:id': 'review.read',
  'GET /review/jobs/:id/file': 'review.read',
  // The integrator API: each route also needs its key scope (apiRouteScopes); a key's scopes
  // give it these permissions (apiScopePermissions), and the dispatcher checks them again.
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/health': 'station.read',
  'GET /api/v1/channels': 'station.read',
  'GET /api/v1/channels/:channelId/schedule': 'station.read',
  'POST /api/v1/channels/:channelId/schedule/batch': 'schedule.edit',
  'GET /api/v1/channels/:channelId/now-next': 'station.read',
  'GET /api/v1/channels/:channelId/epg': 'station.read',
  'GET /api/v1/channels/:channelId/as-run': 'station.read',
  'GET /api/v1/channels/:channelId/breaks': 'station.read',
  'POST /api/v1/channels/:channelId/breaks': 'schedule.edit',
  'POST /api/v1/channels/:channelId/breaks/now': 'playout.control',
  'GET /api/v1/channels/:channelId/audience': 'audience.read',
  'GET /api/v1/channels/:channelId/audience/programmes': 'audience.read',
  'GET /api/v1/recordings': 'review.read',
  'GET /api/v1/events': 'station.read',
  /** The API's reference page and its files: the published description, no station data. */
  'GET /api/v1/docs': 'public',
  'GET /api/v1/docs/': 'public',
  'GET /api/v1/docs/static/index.html': 'public',
  'GET /api/v1/docs/static/swagger-initializer.js': 'public',
  'GET /api/v1/docs/static/*': 'public',
  'GET /api/v1/docs/json': 'public',
  'GET /api/v1/docs/yaml': 'public',
  /** The renderer's files (the sign-in page is one of them); they hold no station data. */
  'GET /*': 'public',
} as const satisfies Record<string, Permission>;
export type RouteKey = keyof typeof routePermissions;

/** What a signed-in person may do: the role's permissions and where channel rights apply. */
export type Grant = {
  role: Role;
  scope: Scope;
  disabled: boolean;
  /**
   * An integrator key's rights (from its scopes, apiScopePermissions) instead of the role's:
   * the same checks then apply to a key as to a person.
   */
  permissions?: readonly Permission[];
};

export function grantHas(grant: Grant | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (!grant || grant.disabled) return false;
  return (grant.permissions ?? rolePermissions[grant.role]).includes(permission);
}

/**
 * What each API key scope lets the key do, in the station's own permissions. Reading is
 * `station.read` for every scope because a key must see the channels it acts on; a scope never
 * reaches people, settings or disks.
 */
export const apiScopePermissions = {
  'schedule:read': ['station.read'],
  'schedule:write': ['station.read', 'schedule.edit'],
  // Inserting a break now is an operator action on the air, not a schedule edit.
  'breaks:write': ['station.read', 'schedule.edit', 'playout.control'],
  'events:read': ['station.read'],
  'recordings:read': ['station.read', 'review.read'],
  'viewers:read': ['station.read', 'audience.read'],
  'metrics:read': ['station.read', 'metrics.read'],
} as const satisfies Record<ApiScope, readonly Permission[]>;

/**
 * The key scope each `/api/v1` route needs (beyond its permission in routePermissions, which
 * the key's scopes must also give). `null`: the route is the API's own description, readable
 * without a key.
 */
export const apiRouteScopes = {
  'GET /api/v1/openapi.json': null,
  'GET /api/v1/health': 'schedule:read',
  'GET /api/v1/channels': 'schedule:read',
  'GET /api/v1/channels/:channelId/schedule': 'schedule:read',
  'POST /api/v1/channels/:channelId/schedule/batch': 'schedule:write',
  'GET /api/v1/channels/:channelId/now-next': 'schedule:read',
  'GET /api/v1/channels/:channelId/epg': 'schedule:read',
  'GET /api/v1/channels/:channelId/as-run': 'schedule:read',
  'GET /api/v1/channels/:channelId/breaks': 'schedule:read',
  'POST /api/v1/channels/:channelId/breaks': 'breaks:write',
  'POST /api/v1/channels/:channelId/breaks/now': 'breaks:write',
  'GET /api/v1/channels/:channelId/audience': 'viewers:read',
  'GET /api/v1/channels/:channelId/audience/programmes': 'viewers:read',
  'GET /api/v1/recordings': 'recordings:read',
  'GET /api/v1/events': 'events:read',
} as const satisfies Record<string, ApiScope | null>;
export type ApiRouteKey = keyof typeof apiRouteScopes;

/** Channel ids a request names (`channelId`, `channelIds`), for channel-limited rights. */
export function requestChannelIds(request: unknown): number[] {
  if (typeof request !== 'object' || request === null) return [];
  const record = request as Record<string, unknown>;
  const ids: number[] = [];
  if (typeof record.channelId === 'number') ids.push(record.channelId);
  if (Array.isArray(record.channelIds))
    for (const id of record.channelIds) if (typeof id === 'number') ids.push(id);
  return ids;
}

/** True when a channel-limited grant reaches every channel the request names. */
export function grantReachesChannels(grant: Grant, permission: Permission, ids: number[]): boolean {
  if (!channelScopedPermissions.has(permission) || grant.scope.channels === null) return true;
  const allowed = new Set(grant.scope.channels);
  return ids.every((id) => allowed.has(id));
}

/**
 * Rights that may be limited to chosen recorded sources (Scope.sources). A request naming a
 * source outside the scope is refused; a change must name (or reach) one; a read naming none is
 * answered with the sources in scope only (the handler filters).
 */
export const sourceScopedPermissions: ReadonlySet<Permission> = new Set([
  'review.read',
  'review.edit',
]);

/** Recorded-source ids a request names (`sourceId`, `sourceIds`), for source-limited rights. */
export function requestSourceIds(request: unknown): number[] {
  if (typeof request !== 'object' || request === null) return [];
  const record = request as Record<string, unknown>;
  const ids: number[] = [];
  if (typeof record.sourceId === 'number') ids.push(record.sourceId);
  if (Array.isArray(record.sourceIds))
    for (const id of record.sourceIds) if (typeof id === 'number') ids.push(id);
  return ids;
}

/** The sources a grant's `permission` reaches, or null for every source. */
export function grantSources(grant: Grant, permission: Permission): ReadonlySet<number> | null {
  if (!sourceScopedPermissions.has(permission) || grant.scope.sources === null) return null;
  return new Set(grant.scope.sources);
}
