import { roomReadableBy, type EventName, type EventPayload } from '../../../src-shared/contract';
import { eventPermissions, grantHas, grantSources } from '../../../src-shared/contract/permissions';
import type { Principal } from './caller';

export const readerOf = (principal: Principal) => ({
  personId: principal.personId,
  channels: principal.grant.scope.channels,
});

/** Whether a person's window may see an event: its permission, and for some, whose it is. */
export function mayReceive<E extends EventName>(
  principal: Principal,
  event: E,
  data: EventPayload<E>,
): boolean {
  if (!grantHas(principal.grant, eventPermissions[event])) return false;
  if (event === 'sessionsChanged') {
    const { personId } = data as EventPayload<'sessionsChanged'>;
    return personId === principal.personId || grantHas(principal.grant, 'people.manage');
  }
  if (event === 'chatMessage') {
    // A direct message reaches its two people, a channel's room those whose account reaches the
    // channel, the station room everyone who chats.
    const { room } = data as EventPayload<'chatMessage'>;
    return roomReadableBy(room, readerOf(principal));
  }
  if (event === 'chatReadChanged') {
    const { personId } = data as EventPayload<'chatReadChanged'>;
    return personId === principal.personId;
  }
  if (event === 'noteChanged' || event === 'reviewJobChanged' || event === 'clipDeliveryChanged') {
    // A person limited to some sources sees only the notes, jobs and deliveries on them.
    const sourceId =
      event === 'noteChanged'
        ? (data as EventPayload<'noteChanged'>).note.sourceId
        : (data as EventPayload<'reviewJobChanged' | 'clipDeliveryChanged'>).sourceId;
    const sources = grantSources(principal.grant, 'review.read');
    return sources === null || sources.has(sourceId);
  }
  return true;
}
