import type { ContractError, ErrorCode } from '../../src-shared/contract';

/** An error the caller can act on; its code and message travel to the UI unchanged. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toContract(): ContractError {
    return { code: this.code, message: this.message };
  }
}
