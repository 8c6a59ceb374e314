import { DomainError } from '../shared/errors.ts';

/**
 * Provisioning errors. `name` is what the joiner's Retry/Catch match on, so it is set
 * explicitly (a bundler that renames classes must not change it). Retryable ones are the
 * polls the ASL drives: `WorkstationPendingError`, `VolumePendingError`.
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

/** The instance is still `pending` (or not yet visible): poll again. */
export class WorkstationPendingError extends DomainError {
  readonly statusCode = 503;
  override readonly retryable = true;
}

/** The instance stopped or terminated before it ever ran: a retry cannot help. */
export class WorkstationFailedError extends DomainError {
  readonly statusCode = 502;
}

/** The data volume is still `creating`, or its attachment still `attaching`: poll again. */
export class VolumePendingError extends DomainError {
  readonly statusCode = 503;
  override readonly retryable = true;
}

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
export class SnapshotPendingError extends DomainError {
  readonly statusCode = 503;
  override readonly retryable = true;
}
