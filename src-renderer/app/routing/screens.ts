import type { ComponentType } from 'react';
import { methodNames, type MethodName } from '../../../src-shared/contract';
import type { Permission } from '../../../src-shared/contract/permissions';
import { useAuthStore } from '../../features/auth/store';
import { ChannelsControlIcon } from '../../features/channels-control/ChannelsControlIcon';
import { ChannelsControlScreen } from '../../features/channels-control/ChannelsControlScreen';
import { LibraryIcon } from '../../features/library/LibraryIcon';
import { LibraryScreen } from '../../features/library/LibraryScreen';
import { ScheduleIcon } from '../../features/schedule/ScheduleIcon';
import { ScheduleScreen } from '../../features/schedule/ScheduleScreen';
import { SettingsScreen } from '../../features/settings/SettingsScreen';
import { StationScreen } from '../../features/station/StationScreen';
import { WallIcon } from '../../features/wall/WallIcon';
import { WallScreen } from '../../features/wall/WallScreen';
import { AlarmsIcon } from '../../features/alarms/AlarmsIcon';
import { AlarmsScreen } from '../../features/alarms/AlarmsScreen';
import { DashboardIcon } from '../../features/dashboard/DashboardIcon';
import { DashboardScreen } from '../../features/dashboard/DashboardScreen';
import { ChatIcon } from '../../features/chat/ChatIcon';
import { ChatScreen } from '../../features/chat/ChatScreen';
import { AccountScreen } from '../../features/people/AccountScreen';
import { AuditScreen } from '../../features/people/AuditScreen';
import { AccountIcon, AuditIcon, PeopleIcon } from '../../features/people/icons';
import { PeopleScreen } from '../../features/people/PeopleScreen';
import { ReportsIcon, ShiftsIcon, TeamIcon } from '../../features/shifts/icons';
import { ShiftsScreen } from '../../features/shifts/ShiftsScreen';
import { TeamScreen } from '../../features/team/TeamScreen';
import { ReportsScreen } from '../../features/reports/ReportsScreen';
import { ReviewIcon } from '../../features/review/ReviewIcon';
import { ReviewScreen } from '../../features/review/ReviewScreen';
import { SettingsIcon, StationIcon } from '../shell/icons';

export type Screen = {
  id: string;
  label: string;
  Icon: ComponentType<{ className?: string }>;
  Component: ComponentType;
  /** Contract methods the screen needs: a screen shows up only once its capability exists. */
  requires: MethodName[];
  /** Shown only to people with this permission (everyone signed in may read the station). */
  permission?: Permission;
};

const allScreens: Screen[] = [
  {
    id: 'station',
    label: 'Station',
    Icon: StationIcon,
    Component: StationScreen,
    requires: ['appInfo', 'healthGet'],
  },
  {
    id: 'library',
    label: 'Library',
    Icon: LibraryIcon,
    Component: LibraryScreen,
    requires: [
      'libraryFolders',
      'libraryQuery',
      'libraryAsset',
      'libraryCreateFolder',
      'libraryRenameAsset',
      'libraryMoveAssets',
      'libraryDeleteAssets',
    ],
  },
  {
    id: 'schedule',
    label: 'Schedule',
    Icon: ScheduleIcon,
    Component: ScheduleScreen,
    requires: [
      'channelsList',
      'scheduleRange',
      'scheduleAdd',
      'scheduleMove',
      'scheduleTrim',
      'scheduleDelete',
      'scheduleBatch',
      'scheduleGet',
    ],
  },
  {
    id: 'channels-control',
    label: 'On air',
    Icon: ChannelsControlIcon,
    Component: ChannelsControlScreen,
    requires: [
      'channelsList',
      'playoutStatus',
      'playoutStart',
      'playoutStop',
      'playoutTakeNext',
      'playoutSkip',
      'playoutHold',
      'playoutRelease',
      'playoutInsertNow',
      'playoutBreakNow',
      'asRunList',
      'asRunExport',
      'outputsSettingsGet',
      'outputsSettingsSet',
    ],
  },
  {
    id: 'wall',
    label: 'Wall',
    Icon: WallIcon,
    Component: WallScreen,
    requires: [
      'playoutStatus',
      'wallLayoutsList',
      'wallLayoutSave',
      'wallLayoutDelete',
      'monitorSourcesList',
      'alarmsList',
      'alarmAcknowledge',
    ],
  },
  {
    id: 'review',
    label: 'Review',
    Icon: ReviewIcon,
    Component: ReviewScreen,
    requires: [
      'recorderSourcesList',
      'recordingCoverage',
      'reviewScreenshot',
      'reviewClip',
      'reviewJobsList',
    ],
    permission: 'review.read',
  },
  {
    id: 'dashboard',
    label: 'Dashboard',
    Icon: DashboardIcon,
    Component: DashboardScreen,
    requires: ['dashboardGet', 'alarmsList', 'alarmAcknowledge', 'alarmsSettingsGet'],
  },
  {
    id: 'alarms',
    label: 'Alarms',
    Icon: AlarmsIcon,
    Component: AlarmsScreen,
    requires: [
      'alarmsList',
      'alarmAcknowledge',
      'alarmsAcknowledgeAll',
      'alarmsSettingsGet',
      'alarmsSettingsSet',
      'monitorSourcesList',
      'monitorSourceAdd',
      'monitorSourceUpdate',
      'monitorSourceRemove',
      'monitorSourceProbe',
    ],
  },
  {
    id: 'chat',
    label: 'Chat',
    Icon: ChatIcon,
    Component: ChatScreen,
    requires: ['chatRooms', 'chatSend', 'chatHistory', 'chatMarkRead', 'presenceList'],
    permission: 'chat.use',
  },
  {
    id: 'shifts',
    label: 'Shifts',
    Icon: ShiftsIcon,
    Component: ShiftsScreen,
    requires: ['shiftsRange', 'shiftCreate', 'shiftUpdate', 'shiftTemplatesList', 'peopleList'],
    // The rota lists people by name: whoever may read the people list may read it.
    permission: 'people.read',
  },
  {
    id: 'team',
    label: 'Team',
    Icon: TeamIcon,
    Component: TeamScreen,
    requires: ['statsMinutes', 'shiftsRange', 'peopleList'],
    permission: 'stats.read',
  },
  {
    id: 'reports',
    label: 'Reports',
    Icon: ReportsIcon,
    Component: ReportsScreen,
    requires: ['reportBuild', 'reportTemplatesList', 'reportHistory'],
    permission: 'reports.manage',
  },
  {
    id: 'settings',
    label: 'Settings',
    Icon: SettingsIcon,
    Component: SettingsScreen,
    requires: ['settingsGet', 'settingsSet'],
    permission: 'settings.manage',
  },
  {
    id: 'people',
    label: 'People',
    Icon: PeopleIcon,
    Component: PeopleScreen,
    requires: [
      'peopleList',
      'personCreate',
      'personUpdate',
      'personResetPassword',
      'personDelete',
      'sessionsList',
      'sessionRevoke',
    ],
    permission: 'people.manage',
  },
  {
    id: 'audit',
    label: 'Audit log',
    Icon: AuditIcon,
    Component: AuditScreen,
    requires: ['auditList', 'auditExport'],
    permission: 'audit.read',
  },
  {
    id: 'account',
    label: 'My account',
    Icon: AccountIcon,
    Component: AccountScreen,
    requires: ['passwordChange', 'totpBegin', 'totpConfirm', 'totpDisable', 'sessionsList'],
    permission: 'self',
  },
];

const available = new Set<string>(methodNames);
const builtScreens: Screen[] = allScreens.filter((screen) =>
  screen.requires.every((method) => available.has(method)),
);

/** The screens this person may open: a screen they have no right to is not even listed. */
export function useScreens(): Screen[] {
  const permissions = useAuthStore((store) => store.permissions);
  return builtScreens.filter(
    (screen) => screen.permission === undefined || permissions.has(screen.permission),
  );
}
