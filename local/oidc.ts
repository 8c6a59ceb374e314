import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { z } from 'zod';

/**
 * The local cloud's OpenID Connect issuer: one RS256 key pair, generated at first boot and kept
 * under the data dir (tokens survive a restart), a discovery document and a JWKS. It stands in
 * for the organisation's identity provider (Okta, Entra ID, Cognito): the front door verifies
 * its tokens exactly like API Gateway's JWT authorizer verifies the real provider's.
 */

/** The audience of local tokens (context `oidcAudience` on AWS). */
export const LOCAL_AUDIENCE = 'gatehouse';
/** The issuer lives under the front door: `<front door>/_local/oidc`. */
export const OIDC_PATH = '/_local/oidc';
/** Longest token lifetime the local issuer signs (12 h); the default is 1 h, like most providers. */
export const MAX_TOKEN_SECONDS = 12 * 3600;

const claimText = z.string().regex(/^[\x21-\x7e]{1,254}$/, 'must be 1-254 printable characters, no spaces');

/** What a caller asks the local issuer for (`POST /_local/oidc/token`, `cloud.issueToken`). */
export const tokenRequestSchema = z.strictObject({
  /** Default: the e-mail address. */
  sub: claimText.optional(),
  email: z.email().max(254).optional(),
  /** Default true; false lets tests play a provider that has not verified the address. */
  emailVerified: z.boolean().optional(),
  groups: z.array(claimText).max(50).default([]),
  expiresInSeconds: z.number().int().min(1).max(MAX_TOKEN_SECONDS).default(3600),
});
export type TokenRequest = z.input<typeof tokenRequestSchema>;

export interface LocalIssuer {
  /** `<front door>/_local/oidc`: the `iss` of every token and the base of discovery. */
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** The public keys (what `jwks.json` serves). */
  jwks(): JSONWebKeySet;
  discovery(): Record<string, unknown>;
  /** A signed RS256 access token; throws a ZodError for a bad request. */
  issueToken(request: TokenRequest): Promise<string>;
  /** A signed RS256 ID token for a client of the code flow (oidc-code-flow.ts). */
  issueIdToken(request: IdTokenRequest): Promise<string>;
}

export interface IdTokenRequest {
  /** The client id (an ID token's `aud`). */
  audience: string;
  email: string;
  name: string;
  groups: string[];
  nonce: string | undefined;
  expiresInSeconds: number;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function newKey(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

/** The key kept at `<dir>/signing-key.json` (mode 0600), created on first use; memory only without a dir. */
async function loadOrCreateKey(dir: string | undefined): Promise<StoredKey> {
  const file = dir ? join(dir, 'signing-key.json') : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  const key = await newKey();
  if (dir && file) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  }
  return key;
}

export async function createLocalIssuer(options: { frontDoorUrl: string; dataDir?: string; audience?: string }): Promise<LocalIssuer> {
  const issuer = `${options.frontDoorUrl}${OIDC_PATH}`;
  const audience = options.audience ?? LOCAL_AUDIENCE;
  const jwksUri = `${issuer}/jwks.json`;
  const key = await loadOrCreateKey(options.dataDir ? join(options.dataDir, 'oidc') : undefined);
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  return {
    issuer,
    audience,
    jwksUri,
    jwks: () => ({ keys: [key.publicJwk] }),
    discovery: () => ({
      issuer,
      jwks_uri: jwksUri,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'email', 'profile'],
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'email', 'email_verified', 'name', 'groups', 'nonce', 'iss', 'aud', 'exp', 'nbf', 'iat'],
    }),
    async issueIdToken(request) {
      const now = Math.floor(Date.now() / 1000);
      const email = request.email.toLowerCase();
      return new SignJWT({ email, email_verified: true, name: request.name, groups: request.groups, ...(request.nonce ? { nonce: request.nonce } : {}), auth_time: now })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
        .setIssuer(issuer)
        .setAudience(request.audience)
        .setSubject(email)
        .setIssuedAt(now)
        .setExpirationTime(now + request.expiresInSeconds)
        .sign(privateKey);
    },
    async issueToken(request) {
      const wanted = tokenRequestSchema.parse(request);
      const sub = wanted.sub ?? wanted.email?.toLowerCase();
      if (!sub) throw new z.ZodError([{ code: 'custom', path: ['sub'], message: 'a token needs sub or email', input: request }]);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        ...(wanted.email ? { email: wanted.email.toLowerCase(), email_verified: wanted.emailVerified ?? true } : {}),
        groups: wanted.groups,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + wanted.expiresInSeconds)
        .sign(privateKey);
    },
  };
}
