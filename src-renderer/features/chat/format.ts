import { parseRoom, type Channel, type Person } from '../../../src-shared/contract';

/** What a room is called for this person: the station, a channel's name, the other person. */
export function roomLabel(
  room: string,
  me: number,
  channels: readonly Channel[],
  people: readonly Person[],
): string {
  const parsed = parseRoom(room);
  if (!parsed) return room;
  if (parsed.kind === 'station') return 'Station';
  if (parsed.kind === 'channel') {
    const channel = channels.find((c) => c.id === parsed.channelId);
    return channel ? `${channel.number} ${channel.name}` : `Channel ${parsed.channelId}`;
  }
  const other = parsed.people[0] === me ? parsed.people[1] : parsed.people[0];
  return people.find((p) => p.id === other)?.displayName ?? `Person ${other}`;
}

export function timeOf(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

export function dateTimeOf(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}
