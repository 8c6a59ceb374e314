import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';

/** Why a decision was refused: audited as `review.refused` with this code, and nothing changes. */
export type RefusalCode = 'self-review' | 'not-reviewer' | 'campaign-closed' | 'already-decided' | 'justification-required' | 'no-such-item';

export interface Refusal {
  readonly refusal: RefusalCode;
}

export class SelfReviewError extends ForbiddenError implements Refusal {
  readonly refusal = 'self-review';
}
export class NotReviewerError extends ForbiddenError implements Refusal {
  readonly refusal = 'not-reviewer';
}
export class CampaignClosedError extends ConflictError implements Refusal {
  readonly refusal = 'campaign-closed';
}
export class ItemDecidedError extends ConflictError implements Refusal {
  readonly refusal = 'already-decided';
}
export class JustificationRequiredError extends ValidationError implements Refusal {
  readonly refusal = 'justification-required';
}
export class ReviewItemNotFoundError extends NotFoundError implements Refusal {
  readonly refusal = 'no-such-item';
}
export class CampaignNotFoundError extends NotFoundError {}
export class RecurringReviewNotFoundError extends NotFoundError {}

export const isRefusal = (error: unknown): error is Error & Refusal => error instanceof Error && 'refusal' in error && typeof error.refusal === 'string';

/** The e-mailed link passed its expiry (the campaign's deadline). */
export class ReviewLinkExpiredError extends DomainError {
  readonly statusCode = 410;
}
