import { DomainError } from '../shared/errors.ts';

/**
 * An export that cannot be read as DynamoDB writes it: a missing manifest, a truncated gzip,
 * a line that is not JSON, an item that fails the audit entry schema. The message names the
 * file and, where there is one, the line (1-based), so an auditor can look at it.
 */
export class ExportFormatError extends DomainError {
  readonly statusCode = 422;

  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
  }
}

/** The export was asked for but did not finish (FAILED, or still running at the deadline). */
export class ExportNotCompletedError extends DomainError {
  readonly statusCode = 504;
}
