import { NotFoundError, PayloadTooLargeError } from '#lib/domain/shared/errors';
import type { HrisSource } from '#lib/domain/events/employee-events';
import { bamboohrAdapter } from './bamboohr.ts';
import { genericAdapter } from './generic.ts';
import { hibobAdapter } from './hibob.ts';
import type { HrisAdapter } from './types.ts';

/** One line per supported HRIS. */
const ADAPTERS: ReadonlyMap<string, HrisAdapter> = new Map<HrisSource, HrisAdapter>([
  ['generic', genericAdapter],
  ['bamboohr', bamboohrAdapter],
  ['hibob', hibobAdapter],
]);

/** The adapter for a source path segment (`/hris/{source}`); NotFoundError for any other. */
export function adapterFor(source: string): HrisAdapter {
  const adapter = ADAPTERS.get(source);
  if (adapter === undefined) throw new NotFoundError(`no HRIS adapter for this source; expected one of ${[...ADAPTERS.keys()].join(', ')}`);
  return adapter;
}

/** Largest webhook body we accept: HRIS payloads are a few KiB; this bounds HMAC and JSON work. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Throws PayloadTooLargeError for a body (or declared length) above {@link MAX_BODY_BYTES}. */
export function assertBodySize(body: Buffer | number): void {
  const size = typeof body === 'number' ? body : body.byteLength;
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`body exceeds ${MAX_BODY_BYTES} bytes`);
}
