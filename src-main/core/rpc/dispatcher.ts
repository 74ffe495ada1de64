import {
  isMethodName,
  methods,
  type CallResult,
  type MethodName,
  type ParsedRequest,
  type Response,
} from '../../../src-shared/contract';
import { AppError } from '../errors';

export type Handlers = {
  [M in MethodName]: (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M>;
};

export type Dispatch = (method: unknown, params: unknown) => Promise<CallResult<unknown>>;

export type DispatchOptions = {
  /** Failures that are not AppErrors are logged here; the caller only sees `internal`. */
  onInternalError?: (method: string, error: unknown) => void;
};

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The single entry point for every transport: parse the payload against the contract, run the
 * handler, turn any failure into `{ code, message }`. The core passes a complete `Handlers`
 * object (the type checks that every method is served); tests may pass a subset.
 */
export function createDispatcher(
  handlers: Partial<Handlers>,
  options: DispatchOptions = {},
): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          code: 'unknown_method',
          message: `No such method: ${String(method).slice(0, 100)}`,
        },
      };
    }
    const handler = handlers[method] as ((request: unknown) => unknown) | undefined;
    if (!handler) {
      return {
        ok: false,
        error: { code: 'unknown_method', message: `${method} is not served here` },
      };
    }
    const spec = methods[method];
    const parsed = spec.request.safeParse(params ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid_request', message: `${method}: ${describeIssues(parsed.error)}` },
      };
    }
    try {
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toContract() };
      options.onInternalError?.(method, error);
      return {
        ok: false,
        error: { code: 'internal', message: `${method} failed unexpectedly; see the Airdeck log.` },
      };
    }
  };
}
