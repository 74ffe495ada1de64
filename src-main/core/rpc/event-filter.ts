import type { EventName, EventPayload } from '../../../src-shared/contract';
import { eventPermissions, grantHas } from '../../../src-shared/contract/permissions';
import type { Principal } from './caller';

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
  return true;
}
