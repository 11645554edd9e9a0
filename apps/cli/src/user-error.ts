/**
 * An error caused by the user's input (a bad file, a bad option): printed as a French message
 * without a stack trace, with a non-zero exit status.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
