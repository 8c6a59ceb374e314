import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { ApprovalState } from './approval.ts';

/** The error name SendTaskFailure uses for a denial; the joiner's Catch matches on it. */
export const APPROVAL_DENIED_ERROR = 'ApprovalDeniedError';

/**
 * The requester (or an operator) withdrew a request still waiting for approval: the withdraw edge
 * (POST /access-requests/{id}/withdraw, domain/time-bound/withdraw.ts) answers the waiting approval
 * task with SendTaskFailure under this name, and the time-bound machine's Catch records the outcome
 * `withdrawn`. Not raised inside a function: its name is the contract between the edge and the ASL.
 */
export class RequestWithdrawnError extends ConflictError {}

/** No approval has this id (forged, mistyped, or removed by TTL). */
export class ApprovalNotFoundError extends NotFoundError {}

/** The approval was decided, cancelled or replaced: a link works once. */
export class ApprovalClosedError extends ConflictError {
  constructor(
    readonly state: Exclude<ApprovalState, { kind: 'open' } | { kind: 'expired' }>,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The approval's time ran out; Step Functions takes (or took) States.Timeout. */
export class ApprovalExpiredError extends DomainError {
  readonly statusCode = 410;
}

/** An authenticated caller who is not the approver the link was sent to. */
export class ApproverMismatchError extends ForbiddenError {}

/** The form's CSRF token or its cookie is missing or wrong. */
export class CsrfRejectedError extends ForbiddenError {}

export class UnsupportedMediaTypeError extends DomainError {
  readonly statusCode = 415;
}

/** The request record the approval is about does not exist (prepare-join did not write it). */
export class RequestRecordMissingError extends NotFoundError {}

/** A deny on the approval page without a comment: the reason goes to the requester and the audit trail. */
export class DenyReasonRequiredError extends ValidationError {}
