import { createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseEmail, type Approval } from './approval.ts';

/**
 * CSRF protection of the approval form, two checks that must both pass:
 *
 * 1. Synchroniser token: csrf = HMAC-SHA256(key = the approval's random secret,
 *    message = approvalId + "\n" + approver e-mail), base64url. Only the server knows the
 *    secret, so only a page the server rendered for this approval carries it.
 * 2. Double submit: the GET sets the same value as a `__Host-` cookie (Secure, HttpOnly,
 *    SameSite=Strict, Path=/, no Domain), so a cross-site form post arrives without it.
 *
 * Both are compared in constant time against the recomputed value.
 */

/** What a token is bound to: an approval, or anything shaped like one (an access review link, domain/reviews/links.ts). */
export type CsrfSubject = Pick<Approval, 'approvalId' | 'csrfSecret'> & { approver: Pick<Approval['approver'], 'email'> };

export const csrfToken = (approval: CsrfSubject): string =>
  createHmac('sha256', approval.csrfSecret).update(`${approval.approvalId}\n${normaliseEmail(approval.approver.email)}`, 'utf8').digest('base64url');

/** Constant-time equality of two strings (false, not an exception, when the lengths differ). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to spend the same time.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export type CsrfVerdict = 'ok' | 'bad-token' | 'missing-cookie' | 'bad-cookie';

export function verifyCsrf(approval: CsrfSubject, formToken: string, cookieToken: string | undefined): CsrfVerdict {
  const expected = csrfToken(approval);
  const tokenOk = sameSecret(formToken, expected);
  const cookieOk = sameSecret(cookieToken, expected);
  if (!tokenOk) return 'bad-token';
  if (cookieToken === undefined) return 'missing-cookie';
  return cookieOk ? 'ok' : 'bad-cookie';
}

/** One cookie per approval, so two open approval tabs do not overwrite each other's token. */
export const csrfCookieName = (ref: string): string => `__Host-gatehouse-csrf-${ref}`;

export function csrfCookie(ref: string, token: string, maxAgeSeconds: number): string {
  const maxAge = Math.max(60, Math.min(Math.ceil(maxAgeSeconds), 365 * 24 * 60 * 60));
  return `${csrfCookieName(ref)}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
}
