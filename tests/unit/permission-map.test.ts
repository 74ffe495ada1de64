import { describe, expect, it } from 'vitest';
import { eventNames, methodNames, roles } from '../../src-shared/contract';
import {
  eventPermissions,
  grantHas,
  grantReachesChannels,
  methodPermissions,
  permissions,
  readOnlyMethods,
  rolePermissions,
  routePermissions,
} from '../../src-shared/contract/permissions';
import { routePermission } from '../../src-main/core/http/route-guard';

describe('the permission map', () => {
  it('gives every contract method exactly one known permission', () => {
    expect(Object.keys(methodPermissions).sort()).toEqual([...methodNames].sort());
    for (const method of methodNames)
      expect(permissions, method).toContain(methodPermissions[method]);
  });

  it('gives every event exactly one known permission, and none is public', () => {
    expect(Object.keys(eventPermissions).sort()).toEqual([...eventNames].sort());
    for (const event of eventNames) {
      expect(permissions, event).toContain(eventPermissions[event]);
      expect(eventPermissions[event], event).not.toBe('public');
    }
  });

  it('leaves only signing in and first-run set-up open to someone not signed in', () => {
    const open = methodNames.filter((m) => methodPermissions[m] === 'public').sort();
    expect(open).toEqual(['authSetup', 'authSignIn', 'authStatus']);
  });

  it('keeps disk reach, network reach, storage, people and settings to admins', () => {
    const adminOnly = [
      'libraryImportPaths',
      'watchFoldersAdd',
      'watchFoldersRemove',
      'monitorSourceAdd',
      'monitorSourceUpdate',
      'pushOutputSet',
      'outputsSettingsSet',
      'storageLocationsAdd',
      'storageLocationsUpdate',
      'personCreate',
      'personDelete',
      'settingsSet',
      'auditList',
    ] as const;
    for (const method of adminOnly)
      for (const role of roles)
        expect(
          grantHas(
            { role, scope: { channels: null, sources: null }, disabled: false },
            methodPermissions[method],
          ),
          `${role} ${method}`,
        ).toBe(role === 'admin');
  });

  it('lists only real methods as read-only, and no read-only method changes a thing by name', () => {
    for (const method of readOnlyMethods) expect(methodNames).toContain(method);
    const changing = /(Set|Add|Remove|Create|Update|Delete|Rename|Move|Import|Apply|Save)$/;
    for (const method of readOnlyMethods)
      expect(changing.test(method), `${method} is listed as read-only`).toBe(false);
  });

  it('gives each role only known permissions, the admin all but public, a disabled person none', () => {
    for (const role of roles)
      for (const permission of rolePermissions[role]) expect(permissions).toContain(permission);
    expect([...rolePermissions.admin].sort()).toEqual(
      permissions.filter((p) => p !== 'public').sort(),
    );
    expect(
      grantHas({ role: 'admin', scope: { channels: null, sources: null }, disabled: true }, 'self'),
    ).toBe(false);
  });

  it('limits channel rights to the listed channels, and nothing else', () => {
    const grant = {
      role: 'operator' as const,
      scope: { channels: [2], sources: null },
      disabled: false,
    };
    expect(grantReachesChannels(grant, 'playout.control', [2])).toBe(true);
    expect(grantReachesChannels(grant, 'playout.control', [2, 3])).toBe(false);
    // Reading is not channel-limited.
    expect(grantReachesChannels(grant, 'station.read', [3])).toBe(true);
  });

  it('maps HTTP routes (HEAD as GET, preflights open) and refuses unknown ones', () => {
    for (const key of Object.keys(routePermissions)) {
      const [verb, url] = key.split(' ') as [string, string];
      expect(routePermission(verb, url)).toBe(
        routePermissions[key as keyof typeof routePermissions],
      );
    }
    expect(routePermission('HEAD', '/media/*')).toBe('station.read');
    expect(routePermission('OPTIONS', '/anything')).toBe('public');
    expect(routePermission('DELETE', '/media/*')).toBeUndefined();
    expect(routePermission('GET', '/not-registered')).toBeUndefined();
  });
});

describe('the sign-in attempt limiter', () => {
  it('locks after the limit within the window, forgives the latest, and forgets when it ends', async () => {
    const { createAttemptLimiter } = await import('../../src-main/core/people/attempt-limiter');
    const limiter = createAttemptLimiter({ maxFailures: 3, windowMs: 1000, maxKeys: 2 });
    for (const at of [0, 10, 20]) limiter.fail('a', at);
    expect(limiter.retryAfterMs('a', 30)).toBe(970);
    limiter.forgive('a');
    expect(limiter.retryAfterMs('a', 30)).toBe(0);
    limiter.fail('a', 40);
    expect(limiter.retryAfterMs('a', 990)).toBe(10);
    expect(limiter.retryAfterMs('a', 1041)).toBe(0);
    // Bounded: the oldest key goes first.
    limiter.fail('b', 50);
    limiter.fail('c', 60);
    expect(limiter.size()).toBe(2);
  });
});
