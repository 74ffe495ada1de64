import { create } from 'zustand';
import type { PlayoutAlarm } from '../../../src-shared/contract';

export type ControlTab = 'control' | 'asrun' | 'outputs';

/** What the operator last asked of a channel and when the core said it takes effect. */
export type ActionOutcome = {
  action: string;
  /** The segment boundary the core answered; null when the action failed. */
  effectiveAt: number | null;
  error: string | null;
  /** Increases with every outcome so the same text announced twice is re-announced. */
  seq: number;
};

const MAX_ALARMS = 50;

type ChannelsControlStore = {
  selectedId: number | null;
  tab: ControlTab;
  /** Alarms seen in this session, newest first, per channel. */
  alarms: Record<number, PlayoutAlarm[]>;
  outcomes: Record<number, ActionOutcome>;
  /** The as-run day shown (station date, YYYY-MM-DD); null follows "today". */
  asRunDate: string | null;
  muted: boolean;
};

export const useChannelsControl = create<ChannelsControlStore>()(() => ({
  selectedId: null,
  tab: 'control',
  alarms: {},
  outcomes: {},
  asRunDate: null,
  muted: true,
}));

let outcomeSeq = 0;

export function selectChannel(id: number): void {
  useChannelsControl.setState({ selectedId: id });
}

export function setTab(tab: ControlTab): void {
  useChannelsControl.setState({ tab });
}

export function setAsRunDate(date: string | null): void {
  useChannelsControl.setState({ asRunDate: date });
}

export function setMuted(muted: boolean): void {
  useChannelsControl.setState({ muted });
}

export function recordOutcome(channelId: number, outcome: Omit<ActionOutcome, 'seq'>): void {
  outcomeSeq += 1;
  useChannelsControl.setState((state) => ({
    outcomes: { ...state.outcomes, [channelId]: { ...outcome, seq: outcomeSeq } },
  }));
}

/** From the `playoutAlarm` event (wired in app/api/session.ts through ./cache.ts). */
export function receiveAlarm(alarm: PlayoutAlarm): void {
  useChannelsControl.setState((state) => {
    const list = state.alarms[alarm.channelId] ?? [];
    if (list.some((a) => a.at === alarm.at && a.kind === alarm.kind && a.itemId === alarm.itemId))
      return state;
    return {
      alarms: { ...state.alarms, [alarm.channelId]: [alarm, ...list].slice(0, MAX_ALARMS) },
    };
  });
}

/** A new session starts clean: alarms of another core are not this one's. */
export function resetChannelsControl(): void {
  useChannelsControl.setState({ alarms: {}, outcomes: {} });
}
