import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../local/core/http.ts';
import { jwtAuthorizer } from '../../local/jwt-authorizer.ts';
import { createLocalIssuer, type LocalIssuer } from '../../local/oidc.ts';
import { oidcRoutes } from '../../local/oidc-routes.ts';

/** The local OIDC issuer: a key that survives restarts, discovery and JWKS, and minting for this machine only. */

const FRONT_DOOR = 'http://127.0.0.1:4700';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const verify = (issuer: LocalIssuer, token: string) => jwtAuthorizer({ issuer: issuer.issuer, audiences: [issuer.audience], jwks: () => issuer.jwks() })(`Bearer ${token}`);

function req(method: string, path: string, headers: Record<string, string> = {}, body = ''): HttpRequest {
  return { method, path, query: new URLSearchParams(), headers: { host: '127.0.0.1:4700', ...headers }, body: Buffer.from(body) };
}
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('local OIDC issuer', () => {
  it('keeps its signing key under the data dir (0600), so tokens survive a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-oidc-'));
    dirs.push(dataDir);
    const first = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR, dataDir });
    const token = await first.issueToken({ email: 'ops@example.com', groups: ['gatehouse-operators'] });

    const restarted = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR, dataDir });

    expect(restarted.jwks()).toEqual(first.jwks());
    expect(await verify(restarted, token)).toMatchObject({ ok: true });
    expect(statSync(join(dataDir, 'oidc', 'signing-key.json')).mode & 0o777).toBe(0o600);
    const fresh = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    expect(await verify(fresh, token)).toMatchObject({ ok: false });
  });

  it('publishes only public key material', async () => {
    const issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    const [key] = issuer.jwks().keys;
    expect(Object.keys(key ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });
});

describe('local OIDC routes', () => {
  it('serves discovery and the JWKS under /_local/oidc', async () => {
    const issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    const routes = oidcRoutes(issuer);
    const discovery = await routes(req('GET', '/_local/oidc/.well-known/openid-configuration'));
    expect(discovery.status).toBe(200);
    expect(JSON.parse(String(discovery.body))).toMatchObject({
      issuer: `${FRONT_DOOR}/_local/oidc`,
      jwks_uri: `${FRONT_DOOR}/_local/oidc/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(JSON.parse(String((await routes(req('GET', '/_local/oidc/jwks.json'))).body))).toEqual(issuer.jwks());
  });

  it('mints a token the authorizer accepts, with the asked lifetime', async () => {
    const issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    const res = await oidcRoutes(issuer)(req('POST', '/_local/oidc/token', JSON_HEADERS, JSON.stringify({ email: 'Ops@Example.com', groups: ['gatehouse-operators'], expiresInSeconds: 120 })));
    expect(res.status).toBe(200);
    const body = JSON.parse(String(res.body)) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 120, issuer: issuer.issuer, audience: 'gatehouse' });
    expect(await verify(issuer, body.access_token)).toMatchObject({
      ok: true,
      jwt: { claims: { sub: 'ops@example.com', email: 'ops@example.com', email_verified: 'true', groups: '[gatehouse-operators]' } },
    });
  });

  it.each([
    ['a non-loopback Host (DNS rebinding)', { ...JSON_HEADERS, host: 'evil.example.com:4700' }, 403],
    ['a browser Origin', { ...JSON_HEADERS, origin: 'https://evil.example.com' }, 403],
    ['a simple (form) content type', { ...JSON_HEADERS, 'content-type': 'text/plain' }, 415],
  ])('refuses to mint for %s', async (_what, headers, status) => {
    const issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    const res = await oidcRoutes(issuer)(req('POST', '/_local/oidc/token', headers, JSON.stringify({ email: 'ops@example.com' })));
    expect(res.status).toBe(status);
    expect(String(res.body)).not.toContain('access_token');
  });

  it.each([
    ['no subject', {}, /sub: a token needs sub or email/],
    ['an unknown field', { email: 'a@example.com', admin: true }, /Unrecognized key/],
    ['a lifetime over 12 hours', { email: 'a@example.com', expiresInSeconds: 43_201 }, /expiresInSeconds/],
    ['a group with a space', { email: 'a@example.com', groups: ['two words'] }, /groups\.0/],
  ])('answers 400 for %s', async (_what, body, message) => {
    const issuer = await createLocalIssuer({ frontDoorUrl: FRONT_DOOR });
    const res = await oidcRoutes(issuer)(req('POST', '/_local/oidc/token', JSON_HEADERS, JSON.stringify(body)));
    expect(res.status).toBe(400);
    expect(String(res.body)).toMatch(message);
  });
});
