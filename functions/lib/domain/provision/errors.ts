import { DomainError, RetryLaterError } from '../shared/errors.ts';

/**
 * Provisioning errors. `name` (the class name, set by DomainError) is what the workflows'
 * Retry/Catch match on; the stack's bundling keeps class names (test/infra/bundling.test.ts).
 * Retryable ones are the polls the ASL drives: `WorkstationPendingError`, `VolumePendingError`,
 * `SnapshotPendingError`.
 */

/** Groups the catalogue names are missing from the Identity Store. Admins manage groups; Gatehouse never creates them. */
export class GroupNotFoundError extends DomainError {
  readonly statusCode = 500;

  constructor(
    readonly displayNames: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `Identity Store group(s) not found: ${displayNames.join(', ')}; groups are created by administrators, never by Gatehouse`,
      options,
    );
  }
}

/** The Identity Store user an id names is gone (deleted outside Gatehouse): look the person up again by user name. */
export class UserNotFoundError extends DomainError {
  readonly statusCode = 404;

  constructor(
    readonly userId: string,
    options?: ErrorOptions,
  ) {
    super(`Identity Store user ${userId} not found`, options);
  }
}

/** The instance is still `pending` (or not yet visible): poll again. */
export class WorkstationPendingError extends RetryLaterError {}

/** The instance stopped or terminated before it ever ran: a retry cannot help. */
export class WorkstationFailedError extends DomainError {
  readonly statusCode = 502;
}

/** The data volume is still `creating`, or its attachment still `attaching`: poll again. */
export class VolumePendingError extends RetryLaterError {}

/** The data volume is in `error`, or was deleted (e.g. by compensation) under the same client token. */
export class VolumeFailedError extends DomainError {
  readonly statusCode = 502;
}

/** The data volume is attached to another instance than the one this request launched. */
export class VolumeAttachmentConflictError extends DomainError {
  readonly statusCode = 409;
}

/** Compensation could not undo everything and a retry will not help; an operator must look. */
export class CompensationIncompleteError extends DomainError {
  readonly statusCode = 500;
}

/** A retained snapshot is still `pending`: poll again (the leaver's Snapshot Volumes). */
export class SnapshotPendingError extends RetryLaterError {}
