import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError } from '../domain/shared/errors.ts';

/**
 * Who is calling an authenticated route. The HTTP API's JWT authorizer (issuer + audience
 * from the stack's context; on the local cloud, the front door with the local issuer) has
 * already checked the token's signature, issuer, audience and expiry; a function only reads
 * the claims it passed on, from `requestContext.authorizer.jwt.claims`.
 *
 * Claims used:
 * - `sub`: the caller's stable id at the identity provider (audit actor when no e-mail).
 * - `email` (with `email_verified` not false): who the caller is in Gatehouse; a requester is
 *   the employee whose work e-mail this is.
 * - `groups`: the caller's groups; the operator routes require the configured operator group.
 *   API Gateway hands array claims over as one string `[a b c]`; both forms are read.
 */
export interface Caller {
  subject: string;
  email?: string;
  groups: string[];
}

const claimsSchema = z.object({
  authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
});

/** The `groups` claim as a list, whether it arrives as an array, `[a b]`, or `a,b`. */
export function groupsClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string' && group.length > 0);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}

/** The authenticated caller; UnauthorizedError when no authorizer vouched for one. */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const parsed = claimsSchema.safeParse(event.requestContext);
  if (!parsed.success) throw new UnauthorizedError('no authenticated caller');
  const claims = parsed.data.authorizer.jwt.claims;
  const subject = typeof claims.sub === 'string' && claims.sub.length > 0 ? claims.sub : undefined;
  if (!subject) throw new UnauthorizedError('token has no subject');
  const verified = claims.email_verified !== false && claims.email_verified !== 'false';
  const email = typeof claims.email === 'string' && verified ? claims.email.toLowerCase() : undefined;
  return { subject, ...(email ? { email } : {}), groups: groupsClaim(claims.groups) };
}

/** ForbiddenError unless the caller is in `group`. */
export function requireGroup(caller: Caller, group: string): void {
  if (!caller.groups.includes(group)) throw new ForbiddenError(`caller is not in the ${group} group`);
}

/** ForbiddenError unless the caller has a verified e-mail; returns it. */
export function requireEmail(caller: Caller): string {
  if (!caller.email) throw new ForbiddenError('token has no verified email claim');
  return caller.email;
}
