/**
 * The one error type for bad input anywhere below the CLI: it names the field that was wrong,
 * so a user sees "prevhash: expected 32 bytes, got 31" instead of a stack trace.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
