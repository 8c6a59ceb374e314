import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../local/core/http.ts';
import { jwtAuthorizer } from '../../local/jwt-authorizer.ts';
import { createLocalIssuer, type LocalIssuer } from '../../local/oidc.ts';
import { oidcRoutes } from '../../local/oidc-routes.ts';

/** Authorization Code with PKCE on the local issuer: what the console's oidc-client-ts relies on, and what it must refuse. */

const FRONT_DOOR = 'http://127.0.0.1:4700';
const CLIENT = 'gatehouse-console';
const CALLBACK = `${FRONT_DOOR}/callback`;
const PEOPLE = [{ email: 'it-ops@example.com', name: 'IT operations', groups: ['gatehouse-operators'], note: 'operator' }];

let issuer: LocalIssuer;
let clock = Date.now();
let routes: (req: HttpRequest) => Promise<HttpResponse>;

beforeAll(async () => {
  issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
  routes = oidcRoutes(issuer, { clients: [{ clientId: CLIENT, redirectUris: [CALLBACK] }], people: () => Promise.resolve(PEOPLE), now: () => clock });
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const authorizeParams = (challenge: string, overrides: Record<string, string | undefined> = {}) => {
  const params: Record<string, string | undefined> = {
    response_type: 'code', client_id: CLIENT, redirect_uri: CALLBACK, scope: 'openid email', state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', ...overrides,
  };
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
};
const get = (path: string, query: URLSearchParams) => routes({ method: 'GET', path, query, headers: { host: '127.0.0.1:4700' }, body: Buffer.alloc(0) });
const postForm = (path: string, form: URLSearchParams) =>
  routes({ method: 'POST', path, query: new URLSearchParams(), headers: { host: '127.0.0.1:4700', 'content-type': 'application/x-www-form-urlencoded', origin: FRONT_DOOR }, body: Buffer.from(form.toString()) });
const location = (res: HttpResponse) => new URL(res.headers?.location ?? 'about:blank');

/** Picks `email` on the login page; answers the redirect's URL. */
async function signIn(challenge: string, email = 'it-ops@example.com', extra: Record<string, string> = {}): Promise<URL> {
  const form = authorizeParams(challenge);
  form.set('email', email);
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  const res = await postForm('/_local/oidc/authorize', form);
  expect(res.status).toBe(302);
  return location(res);
}
const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  postForm('/_local/oidc/token', new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: CLIENT, code_verifier: verifier, ...overrides }));
const body = (res: HttpResponse) => JSON.parse(String(res.body)) as Record<string, unknown>;

describe('local issuer: authorization code with PKCE', () => {
  it('advertises the code flow with S256 only in discovery', async () => {
    const res = await get('/_local/oidc/.well-known/openid-configuration', new URLSearchParams());
    expect(body(res)).toMatchObject({
      authorization_endpoint: `${issuer.issuer}/authorize`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
  });

  it('shows a login page listing the demo people, escaped', async () => {
    const { challenge } = pkce();
    const res = await get('/_local/oidc/authorize', authorizeParams(challenge, { state: '"><script>' }));
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('it-ops@example.com');
    expect(String(res.body)).not.toContain('"><script>');
    expect(res.headers?.['content-security-policy']).toContain("default-src 'none'");
  });

  it('exchanges the code once for an access token the JWT authorizer accepts and an ID token for the client', async () => {
    const { verifier, challenge } = pkce();
    const back = await signIn(challenge);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('iss')).toBe(issuer.issuer);
    const code = back.searchParams.get('code') ?? '';

    const res = await exchange(code, verifier);

    expect(res.status).toBe(200);
    const tokens = body(res);
    const verdict = await jwtAuthorizer({ issuer: issuer.issuer, audiences: [issuer.audience], jwks: () => issuer.jwks() })(`Bearer ${String(tokens.access_token)}`);
    expect(verdict).toMatchObject({ ok: true, jwt: { claims: { email: 'it-ops@example.com', groups: '[gatehouse-operators]' } } });
    expect(decodeJwt(String(tokens.id_token))).toMatchObject({ aud: CLIENT, iss: issuer.issuer, nonce: 'n-1', email: 'it-ops@example.com', groups: ['gatehouse-operators'] });
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(body(again)).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a verifier that does not match the challenge, and spends the code', async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(challenge)).searchParams.get('code') ?? '';

    const wrong = await exchange(code, pkce().verifier);
    const right = await exchange(code, verifier);

    expect([wrong.status, body(wrong).error]).toEqual([400, 'invalid_grant']);
    expect([right.status, body(right).error]).toEqual([400, 'invalid_grant']);
  });

  it('refuses a code after 60 s, or with another redirect_uri or client', async () => {
    const answers: unknown[] = [];
    const cases: Record<string, string>[] = [{ redirect_uri: `${FRONT_DOOR}/elsewhere` }, { client_id: 'other' }, {}];
    for (const overrides of cases) {
      const { verifier, challenge } = pkce();
      const code = (await signIn(challenge)).searchParams.get('code') ?? '';
      if (Object.keys(overrides).length === 0) clock += 61_000;
      answers.push(body(await exchange(code, verifier, overrides)).error);
    }
    expect(answers).toEqual(['invalid_grant', 'invalid_grant', 'invalid_grant']);
  });

  it('never redirects to an unregistered redirect_uri or for an unknown client', async () => {
    const { challenge } = pkce();
    const foreign = await get('/_local/oidc/authorize', authorizeParams(challenge, { redirect_uri: 'https://attacker.example/cb' }));
    const unknown = await get('/_local/oidc/authorize', authorizeParams(challenge, { client_id: 'nobody' }));
    expect([foreign.status, foreign.headers?.location]).toEqual([400, undefined]);
    expect(String(foreign.body)).toContain('redirect_uri');
    expect([unknown.status, unknown.headers?.location]).toEqual([400, undefined]);
  });

  it('sends a request without PKCE S256 back to the client with invalid_request', async () => {
    const { challenge } = pkce();
    const plain = await get('/_local/oidc/authorize', authorizeParams(challenge, { code_challenge_method: 'plain' }));
    const none = await get('/_local/oidc/authorize', authorizeParams('', { code_challenge: undefined }));
    for (const res of [plain, none]) {
      expect(res.status).toBe(302);
      expect(Object.fromEntries(location(res).searchParams)).toMatchObject({ error: 'invalid_request', state: 'st-1' });
    }
  });

  it('refuses a pick that is not on the list unless typed in as someone else', async () => {
    const { challenge } = pkce();
    const form = authorizeParams(challenge);
    form.set('email', 'mallory@example.com');
    const refused = await postForm('/_local/oidc/authorize', form);
    const typed = await signIn(challenge, 'new.person@example.com', { custom: '1', groups: 'staff, gatehouse-auditors' });
    const { verifier: v2, challenge: c2 } = pkce();
    const code = (await signIn(c2, 'new.person@example.com', { custom: '1', groups: 'staff, gatehouse-auditors' })).searchParams.get('code') ?? '';
    const token = body(await exchange(code, v2)).access_token;
    expect(refused.status).toBe(400);
    expect(typed.searchParams.get('code')).toBeTruthy();
    expect(decodeJwt(String(token))).toMatchObject({ email: 'new.person@example.com', groups: ['staff', 'gatehouse-auditors'] });
  });
});
