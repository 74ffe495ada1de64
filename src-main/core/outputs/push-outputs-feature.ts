// Push outputs as a core feature: the contract methods, the table, and the rule deciding
// which pushes run. A push runs while its channel is on air, it is enabled and the HTTP
// server is published (ffmpeg reads the channel's own live.ts from it).
import type { OutputsSettings, PushOutput } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { ownChannelUrl } from '../http/own-channel-url';
import { createPushOutputs, type PushConfig } from './push-outputs';
import { createPushOutputsStore } from './push-outputs-store';

export type PushOutputsMethod = 'pushOutputsList' | 'pushOutputSet';

/** What the feature needs of the published HTTP endpoint (the core's MediaAccess fits). */
export type PushEndpoint = { baseUrl: string | null };

/** What the feature needs of playout (PlayoutApi fits). */
export type PushPlayout = { onAir(): number[]; outputs: { get(): OutputsSettings } };

/** Fewer pushOutputsChanged events than this apart are merged into one. */
const EVENT_INTERVAL_MS = 250;

/** The channel's live.ts on our own server (loopback for an unspecified listen address). */
export function liveInputUrl(baseUrl: string, slug: string, key: string | null): string {
  return ownChannelUrl(baseUrl, slug, 'live.ts', key);
}

export function createPushOutputsFeature(
  context: CoreContext,
  playout: PushPlayout,
  endpoint: () => PushEndpoint,
): Feature<PushOutputsMethod> & { list(): PushOutput[]; reconcile(): Promise<void> } {
  const { db, bus, clock, logger } = context;
  const store = createPushOutputsStore(db, () => clock.now());
  const unsubscribers: (() => void)[] = [];
  let closed = false;

  // Throttled: a push that fails fast or logs a lot must not flood every window.
  let lastEventAt = 0;
  let eventTimer: NodeJS.Timeout | undefined;
  const announce = () => {
    if (closed || eventTimer) return;
    const wait = Math.max(0, lastEventAt + EVENT_INTERVAL_MS - Date.now());
    eventTimer = setTimeout(() => {
      eventTimer = undefined;
      lastEventAt = Date.now();
      if (!closed) bus.emit('pushOutputsChanged', { outputs: list() });
    }, wait);
    eventTimer.unref();
  };

  const runner = createPushOutputs({
    binary: context.ffmpeg.binaries?.ffmpeg.path ?? null,
    registry: context.ffmpeg.registry,
    now: () => clock.now(),
    onStatus: announce,
  });

  function list(): PushOutput[] {
    return store.list().map((row) => {
      const status = runner.status(row.channelId);
      return {
        channelId: row.channelId,
        url: row.url,
        enabled: row.enabled,
        state: status?.state ?? 'stopped',
        restarts: status?.restarts ?? 0,
        lastError: status?.lastError ?? null,
        since: status?.since ?? row.updatedAt,
      };
    });
  }

  function wanted(): PushConfig[] {
    const { baseUrl } = endpoint();
    if (!baseUrl) return [];
    const onAir = new Set(playout.onAir());
    const { requireKey, key } = playout.outputs.get();
    return store
      .list()
      .filter((row) => row.enabled && row.channelEnabled && onAir.has(row.channelId))
      .map((row) => ({
        channelId: row.channelId,
        slug: row.slug,
        url: row.url,
        input: liveInputUrl(baseUrl, row.slug, requireKey ? key : null),
      }));
  }

  // One pass at a time; calls during a pass share the single pass queued after it, which
  // reads what is wanted only when it runs.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  function reconcile(): Promise<void> {
    if (queued) return queued;
    const pass = tail.then(async () => {
      queued = null;
      if (closed) return;
      try {
        await runner.apply(wanted());
      } catch (error) {
        logger.error('push outputs: could not apply', error);
      }
    });
    queued = pass;
    tail = pass;
    return pass;
  }

  return {
    list,
    reconcile,
    handlers: {
      pushOutputsList: () => ({ outputs: list() }),
      pushOutputSet: async ({ channelId, url, enabled }) => {
        if (!store.channelExists(channelId))
          throw new AppError('not_found', `Channel ${channelId} does not exist.`);
        if (url === null) store.remove(channelId);
        else store.set(channelId, url, enabled);
        await reconcile();
        if (url === null) runner.forget(channelId);
        announce();
        return { outputs: list() };
      },
    },
    start() {
      unsubscribers.push(bus.on('playoutChanged', () => void reconcile()));
      // The key is part of the input URL: a new key restarts running pushes.
      unsubscribers.push(bus.on('outputsSettingsChanged', () => void reconcile()));
      // Catches what has no event of its own: the HTTP endpoint being published, a channel
      // renamed, disabled or deleted. A pass that changes nothing starts nothing.
      unsubscribers.push(bus.on('clockTick', () => void reconcile()));
      void reconcile();
    },
    async close() {
      for (const off of unsubscribers.splice(0)) off();
      closed = true;
      clearTimeout(eventTimer);
      await tail;
      await runner.close();
    },
  };
}
