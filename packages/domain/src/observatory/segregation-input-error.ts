/**
 * Why a table or a list of schools cannot be measured. The message is French (it reaches users
 * through the command line and the web app); the code lets a caller add context (file, line).
 */
export type SegregationInputErrorCode =
  | 'empty-table'
  | 'single-group'
  | 'invalid-count'
  | 'conflicting-parent'
  | 'invalid-units'
  | 'unknown-group'
  | 'unknown-level'
  | 'invalid-option';

export class SegregationInputError extends Error {
  constructor(
    readonly code: SegregationInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SegregationInputError';
  }
}
