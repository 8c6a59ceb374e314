import { z } from 'zod';

/**
 * The caller's groups, read so that no group name can forge another (issue #11).
 *
 * API Gateway's HTTP API JWT authorizer hands a Lambda proxy integration every claim as a string;
 * an array claim becomes `[a b c]`, its members joined by single spaces with nothing escaped. A
 * group named `Not gatehouse-operators` then reads exactly like the two groups `Not` and
 * `gatehouse-operators`, and splitting on commas as well made `team-a,gatehouse-operators` two
 * groups. That string cannot be parsed safely, so it is not parsed:
 *
 * 1. A claim that arrives as a JSON array (the local front door's tests, API Gateway REST API JWT
 *    authorizers, which keep each claim's JSON type) is taken as it is.
 * 2. Otherwise the groups come from the token itself: the `Authorization` header is the identity
 *    source the authorizer verified (signature, issuer, audience, expiry) before invoking the
 *    function, and its payload is JSON, where `groups` is a real array. It is used only when it is
 *    the token the authorizer passed on: its `sub`, `iat` and `exp` must equal the authorizer's claims.
 * 3. A plain string claim without brackets is one group (an IdP emitting a single-valued claim).
 * 4. Anything else (a bracketed string without a matching token) is no groups: fail closed.
 *
 * Names are compared whole and exactly by the callers (`requireGroup`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */

const payloadSchema = z.looseObject({
  sub: z.string().optional(),
  iat: z.number().optional(),
  exp: z.number().optional(),
  groups: z.unknown().optional(),
});

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/;

const strings = (values: readonly unknown[]): string[] => values.filter((value): value is string => typeof value === 'string' && value.length > 0);

/** The payload of the bearer token in `authorization`, or undefined when it is not one compact JWS with a JSON payload. */
function tokenPayload(authorization: string | undefined): z.infer<typeof payloadSchema> | undefined {
  if (authorization === undefined) return undefined;
  const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : authorization;
  const payload = COMPACT_JWS.exec(token)?.[1];
  if (payload === undefined) return undefined;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** True when the token's identifying claims are the ones the authorizer passed on (strings on HTTP APIs). */
function sameToken(payload: z.infer<typeof payloadSchema>, claims: Record<string, unknown>): boolean {
  const matches = (name: 'sub' | 'iat' | 'exp'): boolean => payload[name] !== undefined && String(payload[name]) === String(claims[name]);
  return matches('sub') && matches('iat') && matches('exp');
}

export function groupsOf(claims: Record<string, unknown>, headers: Record<string, string | undefined> | undefined): string[] {
  const claim = claims.groups;
  if (Array.isArray(claim)) return strings(claim);
  if (claim === undefined) return [];
  const payload = tokenPayload(headers?.authorization ?? headers?.Authorization);
  if (payload && sameToken(payload, claims)) {
    return Array.isArray(payload.groups) ? strings(payload.groups) : typeof payload.groups === 'string' && payload.groups.length > 0 ? [payload.groups] : [];
  }
  if (typeof claim === 'string' && claim.length > 0 && !claim.startsWith('[')) return [claim];
  return [];
}
