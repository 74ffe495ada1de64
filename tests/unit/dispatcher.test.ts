import { SettingsSchema } from '../../src-shared/contract';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors';
import { createDispatcher, type Handlers } from '../../src-main/core/rpc/dispatcher';

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
