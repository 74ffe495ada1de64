// Viewer subscriptions as a core feature: the admin's contract methods over the service; the
// public outputs ask the same service (its gate) about every request that carries a `sub_` key.
import type { CoreContext, Feature } from '../core-context';
import type { Caller } from '../rpc/caller';
import { createSubscribersService, type SubscribersService } from './subscribers-service';

export type SubscribersMethod =
  | 'subscriberPlansList'
  | 'subscriberPlanSave'
  | 'subscriberPlanDelete'
  | 'subscribersList'
  | 'subscriberCreate'
  | 'subscriberUpdate'
  | 'subscriberRevoke'
  | 'subscriberUsage';

const issuerOf = (caller: Caller) =>
  caller.kind === 'window' && caller.principal ? caller.principal : null;

export function createSubscribersFeature(
  context: CoreContext,
  options: { streamIdleMs?: number } = {},
): Feature<SubscribersMethod> & { subscribers: SubscribersService } {
  const subscribers = createSubscribersService({
    db: context.db,
    bus: context.bus,
    now: () => context.clock.now(),
    ...(options.streamIdleMs ? { streamIdleMs: options.streamIdleMs } : {}),
  });
  return {
    subscribers,
    close() {
      subscribers.close();
      return Promise.resolve();
    },
    handlers: {
      subscriberPlansList: () => ({ plans: subscribers.plans() }),
      subscriberPlanSave: (request) => subscribers.savePlan(request),
      subscriberPlanDelete: ({ id }) => {
        subscribers.deletePlan(id);
        return { id };
      },
      subscribersList: () => ({ subscribers: subscribers.list() }),
      subscriberCreate: (request, caller) => subscribers.create(request, issuerOf(caller)),
      subscriberUpdate: (request) => subscribers.update(request),
      subscriberRevoke: ({ id }) => subscribers.revoke(id),
      subscriberUsage: ({ id, days }) => subscribers.usage(id, days),
    },
  };
}
