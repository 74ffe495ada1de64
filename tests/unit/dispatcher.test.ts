import { SettingsSchema } from '../../src-shared/contract';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors';
import {
  createDispatcher,
  type AuditRecord,
  type Handlers,
} from '../../src-main/core/rpc/dispatcher';
import type { Caller } from '../../src-main/core/rpc/caller';
import { testPrincipal } from '../helpers/principals';

const settings = SettingsSchema.parse({ stationName: 'Test' });
const handlers: Partial<Handlers> = {
  appInfo: () => ({
    name: 'Airdeck',
    version: '1',
    mode: 'headless',
    dataDir: '/tmp',
    platform: 'linux',
    nodeVersion: '20',
    startedAt: 0,
  }),
  healthGet: () => {
    throw new Error('secret stack detail');
  },
  settingsGet: () => settings,
  settingsSet: () => {
    throw new AppError('conflict', 'Someone else changed it.');
  },
};

describe('dispatcher', () => {
  const internal: unknown[] = [];
  const dispatch = createDispatcher(handlers, { onInternalError: (_m, e) => internal.push(e) });

  it('runs a valid call', async () => {
    expect(await dispatch('settingsGet', {})).toEqual({ ok: true, result: settings });
  });

  it('treats a missing payload as empty', async () => {
    expect((await dispatch('appInfo', undefined)).ok).toBe(true);
  });

  it('refuses unknown and prototype method names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('refuses payloads that do not match the contract and says which field', async () => {
    const result = await dispatch('settingsSet', { timeZone: 'Mars/Olympus' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!result.ok && result.error.message).toContain('timeZone');
    expect(await dispatch('appInfo', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('passes AppErrors through as data', async () => {
    expect(await dispatch('settingsSet', { stationName: 'X' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Someone else changed it.' },
    });
  });

  it('hides unexpected failures behind `internal` and reports them to the log', async () => {
    const result = await dispatch('healthGet', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret stack detail');
    expect(internal).toHaveLength(1);
  });
});

describe('dispatcher permission checks', () => {
  const window = (principal: ReturnType<typeof testPrincipal> | null): Caller => ({
    kind: 'window',
    principal,
    meta: { address: '127.0.0.1', userAgent: 'test', transport: 'browser' },
  });
  const ran: string[] = [];
  const audited: AuditRecord[] = [];
  const dispatch = createDispatcher(
    {
      ...handlers,
      settingsSet: () => {
        ran.push('settingsSet');
        return settings;
      },
      playoutTakeNext: ({ channelId }) => {
        ran.push(`take ${channelId}`);
        return { channelId } as never;
      },
      scheduleDelete: () => {
        ran.push('delete');
        return { changed: [], removed: [], inverse: [], scheduleVersions: {} };
      },
    },
    {
      audit: (record) => audited.push(record),
      // Item 9 is on channel 3.
      channelsOf: (_method, request) =>
        (request as { items?: { id: number }[] }).items?.some((i) => i.id === 9) ? [3] : [],
    },
  );

  it('refuses a window nobody signed in for, before parsing or running anything', async () => {
    ran.length = 0;
    expect(await dispatch('settingsSet', { stationName: 'x' }, window(null))).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    // Even a malformed payload says only "sign in".
    expect(await dispatch('settingsSet', 42, window(null))).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect(ran).toEqual([]);
  });

  it('refuses a role without the permission as data, and records the refusal', async () => {
    ran.length = 0;
    audited.length = 0;
    const viewer = testPrincipal('viewer');
    expect(await dispatch('settingsSet', { stationName: 'x' }, window(viewer))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(ran).toEqual([]);
    expect(audited).toMatchObject([{ method: 'settingsSet', result: 'denied' }]);
    // Reading is allowed and not audited.
    expect((await dispatch('settingsGet', {}, window(viewer))).ok).toBe(true);
    expect(audited).toHaveLength(1);
  });

  it('runs and audits an allowed change', async () => {
    audited.length = 0;
    const admin = testPrincipal('admin');
    expect((await dispatch('settingsSet', { stationName: 'y' }, window(admin))).ok).toBe(true);
    expect(audited).toMatchObject([{ method: 'settingsSet', result: 'ok' }]);
  });

  it('limits a channel-scoped person to their channels, items included', async () => {
    ran.length = 0;
    const operator = testPrincipal('operator', [2]);
    expect((await dispatch('playoutTakeNext', { channelId: 2 }, window(operator))).ok).toBe(true);
    expect(await dispatch('playoutTakeNext', { channelId: 3 }, window(operator))).toMatchObject({
      error: { code: 'forbidden' },
    });
    const scheduler = testPrincipal('scheduler', [2]);
    expect(
      await dispatch(
        'scheduleDelete',
        { items: [{ id: 9, version: 1 }], ripple: false },
        window(scheduler),
      ),
    ).toMatchObject({ error: { code: 'forbidden' } });
    expect(ran).toEqual(['take 2']);
  });

  it('treats in-process calls as the station itself', async () => {
    expect((await dispatch('settingsSet', { stationName: 'z' })).ok).toBe(true);
  });
});
