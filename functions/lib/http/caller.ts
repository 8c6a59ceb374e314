import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import type { Caller } from '../domain/shared/caller.ts';
import { UnauthorizedError } from '../domain/shared/errors.ts';
import { groupsOf } from './groups-claim.ts';

export { requireEmail, requireGroup, type Caller } from '../domain/shared/caller.ts';

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
 * - `groups`: the caller's groups; the operator routes require the configured operator group,
 *   compared whole. API Gateway hands array claims over as one string `[a b c]` that no parser can
 *   read safely; groups-claim.ts says how they are read instead.
 */

const claimsSchema = z.object({
  authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
});

/** The authenticated caller; UnauthorizedError when no authorizer vouched for one. */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const parsed = claimsSchema.safeParse(event.requestContext);
  if (!parsed.success) throw new UnauthorizedError('no authenticated caller');
  const claims = parsed.data.authorizer.jwt.claims;
  const subject = typeof claims.sub === 'string' && claims.sub.length > 0 ? claims.sub : undefined;
  if (!subject) throw new UnauthorizedError('token has no subject');
  const verified = claims.email_verified !== false && claims.email_verified !== 'false';
  const email = typeof claims.email === 'string' && verified ? claims.email.toLowerCase() : undefined;
  return { subject, ...(email ? { email } : {}), groups: groupsOf(claims, event.headers) };
}

