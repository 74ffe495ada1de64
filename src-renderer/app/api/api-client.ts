import {
  events,
  type ContractError,
  type EventName,
  type EventPayload,
  type MethodName,
  type Request,
  type Response,
} from '../../../src-shared/contract';
import type { Transport } from './transport';

export class ApiError extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
    this.name = 'ApiError';
  }
  get code() {
    return this.error.code;
  }
}

/** What went wrong, as the person reads it: the core's refusal (an ApiError) or any other error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One typed interface over either transport; features never see which one is in use. */
export function createApiClient(transport: Transport) {
  return {
    transport,
    async call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
      const result = await transport.call(method, params);
      if (!result.ok) throw new ApiError(result.error);
      return result.result as Response<M>;
    },
    on<E extends EventName>(event: E, listener: (data: EventPayload<E>) => void): () => void {
      return transport.subscribe((name, data) => {
        if (name !== event) return;
        // Events are parsed at the boundary like every other input.
        const parsed = events[event].safeParse(data);
        if (parsed.success) listener(parsed.data as EventPayload<E>);
      });
    },
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
