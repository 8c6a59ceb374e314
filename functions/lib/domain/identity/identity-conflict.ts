import { DomainError } from '../shared/errors.ts';

/**
 * A hire whose work e-mail (the Identity Store user name) already belongs to the user linked to
 * another employee (issue #11). Never merged: the joiner stops, audits provisioning.failed with
 * this name, and an operator decides (the HRIS record is wrong, or the other person's is). Not
 * retryable: the same e-mail stays taken until a person changes one of the records.
 */
export class IdentityConflictError extends DomainError {
  readonly statusCode = 409;

  constructor(
    readonly userName: string,
    readonly employeeId: string,
    readonly linkedEmployeeId: string,
    options?: ErrorOptions,
  ) {
    super(
      `the Identity Store user ${userName} belongs to employee ${linkedEmployeeId}, not ${employeeId}: two people have one work e-mail; fix the HRIS record, Gatehouse never merges them`,
      options,
    );
  }
}
