import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

/**
 * API Gateway's HTTP API JWT authorizer, for the local front door (docs/auth.md). The token is
 * read from the Authorization header, bare or after `Bearer ` (exactly that casing, as API
 * Gateway documents it); it must be a single compact JWS signed RS256 by a key of the issuer's
 * JWKS named by `kid`, with `iss` equal to the issuer, `aud` (or `client_id`) one of the
 * audiences, `exp` in the future, `nbf` and `iat` (when present) not in the future. Anything
 * else is a 401 and the function is not invoked. Claims reach the function as strings, arrays
 * flattened to `[a b]`, the way API Gateway hands them over.
 */

export interface JwtAuthorizerConfig {
  issuer: string;
  audiences: readonly string[];
  /** The issuer's public keys (on AWS, fetched from its jwks_uri). */
  jwks(): JSONWebKeySet;
}

export interface AuthorizedJwt {
  claims: Record<string, string>;
  scopes: string[] | null;
}

export type Authorization = { ok: true; jwt: AuthorizedJwt } | { ok: false; reason: string };

/** Header.payload.signature, base64url each: one token, nothing around it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** `Bearer <jwt>` or a bare `<jwt>`; undefined for anything else. */
export function tokenFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header;
  return COMPACT_JWS.test(token) ? token : undefined;
}

/** A claim value as API Gateway passes it on: strings as-is, arrays `[a b]`, maps `map[k:v]`. */
export function flattenClaim(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `map[${entries.map(([k, v]) => `${k}:${flattenClaim(v)}`).join(' ')}]`;
  }
  return String(value);
}

function scopesOf(payload: JWTPayload): string[] | null {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((scope) => scope.length > 0);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return null;
}

function audienceMatches(payload: JWTPayload, audiences: readonly string[]): boolean {
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (aud.some((value) => audiences.includes(value))) return true;
  return typeof payload.client_id === 'string' && audiences.includes(payload.client_id);
}

const reasonOf = (error: unknown): string => (error instanceof Error && error.message ? error.message : 'invalid token');

/** Verifies the Authorization header of one request. */
export function jwtAuthorizer(config: JwtAuthorizerConfig): (authorization: string | undefined) => Promise<Authorization> {
  return async (authorization) => {
    const token = tokenFrom(authorization);
    if (!token) return { ok: false, reason: authorization === undefined ? 'no Authorization header' : 'not a single bearer token' };
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') return { ok: false, reason: `algorithm ${String(header.alg)} is not allowed` };
      if (typeof header.kid !== 'string') return { ok: false, reason: 'token header has no kid' };
      const { payload } = await jwtVerify(token, createLocalJWKSet(config.jwks()), {
        issuer: config.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      });
      if (!audienceMatches(payload, config.audiences)) return { ok: false, reason: 'audience not allowed' };
      if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) return { ok: false, reason: 'token issued in the future' };
      const claims = Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, flattenClaim(value)]));
      return { ok: true, jwt: { claims, scopes: scopesOf(payload) } };
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  };
}
