import { DomainError } from '../shared/errors.ts';

/**
 * An extension that cannot be applied any more: the grant it extends has ended (expired or
 * revoked: an extension never brings an ended grant back; ask for a new request), or its end
 * moved since the extension was asked (another extension won). Not retryable; 409 at the edge.
 */
export class ExtensionRefusedError extends DomainError {
  readonly statusCode = 409;
}
