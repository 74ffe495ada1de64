import type { ContractError, ErrorCode, FieldError } from '../../src-shared/contract';

/** An error the caller can act on; its code and message travel to the UI unchanged. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Which values of the payload were refused, when a form can point at them. */
    readonly fields?: readonly FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toContract(): ContractError {
    return this.fields && this.fields.length > 0
      ? { code: this.code, message: this.message, fields: [...this.fields] }
      : { code: this.code, message: this.message };
  }
}
