/**
 * Typed errors. `name` is what Step Functions `Retry`/`Catch` match on and what the
 * HTTP edge maps to a status; `retryable` says whether a retry can help. Always pass
 * `{ cause }` when wrapping.
 */
export abstract class DomainError extends Error {
  /** HTTP status at the edge (middy convention: `expose` when < 500). */
  abstract readonly statusCode: number;
  readonly retryable: boolean = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  get expose(): boolean {
    return this.statusCode < 500;
  }
}

/** Input failed its schema; the message names the field. */
export class ValidationError extends DomainError {
  readonly statusCode = 400;
}

/** Signature missing, wrong, or outside the timestamp window. Never says which. */
export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
}

export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
}

/** The thing was already done or is no longer possible (used link, closed request). */
export class ConflictError extends DomainError {
  readonly statusCode = 409;
}

export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
}

/** Not yet: a retry (the ASL `Retry` matching the subclass's name) may succeed. 503 at the edge. */
export abstract class RetryLaterError extends DomainError {
  readonly statusCode = 503;
  override readonly retryable = true;
}

/** A dependency failed in a way a retry may fix (throttling, timeouts). */
export class TransientError extends RetryLaterError {}

/** Misconfiguration detected at cold start (missing env var, invalid catalogue). */
export class ConfigError extends DomainError {
  readonly statusCode = 500;
}
