import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError, UnauthorizedError } from '#lib/domain/shared/errors';
import type { HrisRequest } from './types.ts';
import type { Clock } from '../shared/clock.ts';

/** How far a signed timestamp may be from our clock, either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** The one message every verification failure carries: it never says what was wrong. */
const UNAUTHORIZED_MESSAGE = 'webhook signature verification failed';

export const unauthorized = (): UnauthorizedError => new UnauthorizedError(UNAUTHORIZED_MESSAGE);

export function hmac(algorithm: 'sha256' | 'sha512', key: Buffer, parts: readonly Buffer[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** A header value, or UnauthorizedError when it is missing or empty. */
export function requiredHeader(req: HrisRequest, name: string): string {
  const value = req.headers[name];
  if (typeof value !== 'string' || value.length === 0) throw unauthorized();
  return value;
}

/** A configured secret; an empty one would let anybody sign, so it is a deploy error. */
export function secretBytes(secret: string): Buffer {
  if (secret.length === 0) throw new ConfigError('webhook secret is empty');
  return Buffer.from(secret, 'utf8');
}

/**
 * Constant-time comparison of a received signature string with the expected one.
 * Compares the exact strings (not decoded bytes) so that no two spellings of one
 * signature are accepted.
 */
export function signatureMatches(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a unix-seconds timestamp header against the clock; returns the header value
 * unchanged (it is part of the signed content).
 */
export function checkTimestamp(value: string, clock: Clock): string {
  if (!/^\d{1,12}$/.test(value)) throw unauthorized();
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  if (Math.abs(nowSeconds - Number(value)) > TIMESTAMP_TOLERANCE_SECONDS) throw unauthorized();
  return value;
}
