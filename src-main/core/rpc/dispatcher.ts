import {
  isMethodName,
  methods,
  type CallResult,
  type MethodName,
  type ParsedRequest,
  type Response,
} from '../../../src-shared/contract';
import {
  channelScopedPermissions,
  grantHas,
  grantReachesChannels,
  grantSources,
  methodPermissions,
  readOnlyMethods,
  requestChannelIds,
  requestSourceIds,
  type Permission,
} from '../../../src-shared/contract/permissions';
import { AppError } from '../errors';
import { SYSTEM, type Caller, type Principal } from './caller';

export type Handlers = {
  [M in MethodName]: (
    request: ParsedRequest<M>,
    caller: Caller,
  ) => Promise<Response<M>> | Response<M>;
};

export type Dispatch = (
  method: unknown,
  params: unknown,
  caller?: Caller,
) => Promise<CallResult<unknown>>;

export type AuditRecord = {
  principal: Principal;
  address: string;
  method: MethodName;
  request: unknown;
  result: 'ok' | 'denied' | 'failed';
  detail: string;
};

export type DispatchOptions = {
  /** Failures that are not AppErrors are logged here; the caller only sees `internal`. */
  onInternalError?: (method: string, error: unknown) => void;
  /**
   * Channels a request reaches beyond the ids it names (schedule items → their channels), for
   * people whose rights are limited to some channels.
   */
  channelsOf?: (method: MethodName, request: unknown) => number[];
  /** Recorded sources a request reaches beyond the ids it names (a note → its source). */
  sourcesOf?: (method: MethodName, request: unknown) => number[];
  /** Every change a person makes (or is refused) is appended here. */
  audit?: (record: AuditRecord) => void;
};

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`)
    .join('; ');
}

const fail = (code: 'unauthorized' | 'forbidden', message: string): CallResult<never> => ({
  ok: false,
  error: { code, message },
});

/** Why a window may not call `method` at all (its role), or null when it may. */
function roleRefusal(
  caller: Caller,
  method: MethodName,
  permission: Permission,
): CallResult<never> | null {
  if (caller.kind === 'system' || permission === 'public') return null;
  const principal = caller.principal;
  if (!principal) return fail('unauthorized', 'Sign in first.');
  if (!grantHas(principal.grant, permission))
    return fail('forbidden', `Your role (${principal.grant.role}) may not do ${method}.`);
  return null;
}

/** Why a person limited to some channels may not make this request, or null. */
function scopeRefusal(
  caller: Caller,
  method: MethodName,
  permission: Permission,
  request: unknown,
  channelsOf: DispatchOptions['channelsOf'],
): CallResult<never> | null {
  if (caller.kind !== 'window' || !caller.principal) return null;
  const grant = caller.principal.grant;
  if (grant.scope.channels === null || !channelScopedPermissions.has(permission)) return null;
  const ids = [...requestChannelIds(request), ...(channelsOf?.(method, request) ?? [])];
  // A limited right needs to know where it acts: a request that names no channel is refused.
  if (ids.length === 0 || !grantReachesChannels(grant, permission, ids))
    return fail('forbidden', `Your rights do not reach that channel (${method}).`);
  return null;
}

/** Why a person limited to some recorded sources may not make this request, or null. */
function sourceScopeRefusal(
  caller: Caller,
  method: MethodName,
  permission: Permission,
  request: unknown,
  sourcesOf: DispatchOptions['sourcesOf'],
): CallResult<never> | null {
  if (caller.kind !== 'window' || !caller.principal) return null;
  const allowed = grantSources(caller.principal.grant, permission);
  if (allowed === null) return null;
  const ids = [...requestSourceIds(request), ...(sourcesOf?.(method, request) ?? [])];
  // A change must say where it acts; a read that names no source is filtered by its handler.
  const refused =
    (ids.length === 0 && !readOnlyMethods.has(method)) || ids.some((id) => !allowed.has(id));
  return refused ? fail('forbidden', `Your rights do not reach that source (${method}).`) : null;
}

/**
 * The single entry point for every transport: parse the payload against the contract, check
 * the caller's permission for it (before the handler runs), run the handler, turn any failure
 * into `{ code, message }`, and append each change a person makes to the audit log. Calls
 * without a caller are the core's own (demo seeding, tests); transports always pass one.
 */
export function createDispatcher(
  handlers: Partial<Handlers>,
  options: DispatchOptions = {},
): Dispatch {
  return async (method, params, caller = SYSTEM) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          code: 'unknown_method',
          message: `No such method: ${String(method).slice(0, 100)}`,
        },
      };
    }
    const handler = handlers[method] as ((request: unknown, caller: Caller) => unknown) | undefined;
    if (!handler) {
      return {
        ok: false,
        error: { code: 'unknown_method', message: `${method} is not served here` },
      };
    }
    // The role is checked first: a person without the right learns nothing more, not even
    // whether the payload was well formed.
    const permission: Permission = methodPermissions[method];
    const audited =
      caller.kind === 'window' && caller.principal !== null && !readOnlyMethods.has(method)
        ? { principal: caller.principal, address: caller.meta.address }
        : null;
    const record = (result: AuditRecord['result'], detail: string, request: unknown) => {
      if (audited && options.audit) options.audit({ ...audited, method, request, result, detail });
    };
    const refusedRole = roleRefusal(caller, method, permission);
    if (refusedRole) {
      if (!refusedRole.ok && refusedRole.error.code === 'forbidden')
        record('denied', refusedRole.error.message, null);
      return refusedRole;
    }
    const spec = methods[method];
    const parsed = spec.request.safeParse(params ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `${method}: ${describeIssues(parsed.error)}`,
          fields: parsed.error.issues.slice(0, 50).map((issue) => ({
            path: issue.path.map(String).join('.'),
            message: issue.message,
          })),
        },
      };
    }
    const refusedScope =
      scopeRefusal(caller, method, permission, parsed.data, options.channelsOf) ??
      sourceScopeRefusal(caller, method, permission, parsed.data, options.sourcesOf);
    if (refusedScope) {
      if (!refusedScope.ok) record('denied', refusedScope.error.message, parsed.data);
      return refusedScope;
    }
    try {
      const result = await handler(parsed.data, caller);
      record('ok', '', parsed.data);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof AppError) {
        record('failed', error.message, parsed.data);
        return { ok: false, error: error.toContract() };
      }
      record('failed', 'internal error', parsed.data);
      options.onInternalError?.(method, error);
      return {
        ok: false,
        error: { code: 'internal', message: `${method} failed unexpectedly; see the Airdeck log.` },
      };
    }
  };
}
