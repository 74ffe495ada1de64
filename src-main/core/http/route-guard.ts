import type { FastifyInstance } from 'fastify';
import {
  routePermissions,
  type Permission,
  type RouteKey,
} from '../../../src-shared/contract/permissions';

/**
 * The permission of a route as registered. HEAD shares its GET's; an OPTIONS preflight carries
 * no credentials and answers nothing but CORS headers, so it needs none.
 */
export function routePermission(method: string, url: string): Permission | undefined {
  const verb = method.toUpperCase();
  if (verb === 'OPTIONS') return 'public';
  const key = `${verb === 'HEAD' ? 'GET' : verb} ${url}`;
  return Object.prototype.hasOwnProperty.call(routePermissions, key)
    ? routePermissions[key as RouteKey]
    : undefined;
}

/** Refuses to register any route that routePermissions does not list. */
export function installRouteGuard(app: FastifyInstance, seen?: (key: string) => void): void {
  app.addHook('onRoute', (route) => {
    const verbs = Array.isArray(route.method) ? route.method : [route.method];
    for (const verb of verbs) {
      if (!routePermission(verb, route.url))
        throw new Error(
          `HTTP route ${verb} ${route.url} has no permission: add it to routePermissions.`,
        );
      seen?.(`${verb} ${route.url}`);
    }
  });
}
