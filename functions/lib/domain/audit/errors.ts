import { ConflictError, DomainError, TransientError } from '../shared/errors.ts';

/**
 * Other writers kept taking the next seq of this subject for every attempt. Retryable: a
 * Step Functions `Retry` on `AuditWriteConflictError` (or `TransientError`'s family) finishes it.
 */
export class AuditWriteConflictError extends TransientError {}

/**
 * The idempotency key was already used for a different fact (other kind, request, execution or
 * entitlement): a caller bug, not retryable.
 */
export class AuditIdempotencyMismatchError extends ConflictError {}

/**
 * A stored entry does not parse or its hash does not match its content: the chain was
 * tampered with or written by something else. Appending stops; an operator must look.
 */
export class AuditChainCorruptError extends DomainError {
  readonly statusCode = 500;
}
