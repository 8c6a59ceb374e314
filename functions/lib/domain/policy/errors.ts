import { DomainError } from '#lib/domain/shared/errors';

/**
 * An approval step has nobody who may answer it: the subject has no manager on record, or
 * the only approver of a step is the subject or the requester themself. Not retryable:
 * the HRIS record or the catalogue must change first.
 */
export class MissingApproverError extends DomainError {
  readonly statusCode = 422;

  constructor(
    /** What is missing, e.g. `managerEmail of employee E123` or `owner approver for group:ProdAdmin`. */
    readonly missing: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
