import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerOf } from '../../functions/lib/http/caller.ts';
import type { HttpRequest } from '../../local/core/http.ts';
import { frontDoor } from '../../local/front-door.ts';
import { flattenClaim, jwtAuthorizer, tokenFrom } from '../../local/jwt-authorizer.ts';
import { createLocalIssuer } from '../../local/oidc.ts';

/**
 * The front door as API Gateway's JWT authorizer: every way a token can be wrong is a 401
 * `{"message":"Unauthorized"}` and the function is never invoked; a good token reaches the
 * function as requestContext.authorizer.jwt.claims, flattened the way API Gateway does.
 */

const ISSUER = 'http://127.0.0.1:4700/_local/oidc';
const AUDIENCE = 'gatehouse';
const KID = 'test-key';

let privateKey: CryptoKey;
let publicJwk: JWK;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  otherKey = (await generateKeyPair('RS256')).privateKey;
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'op-1',
  email: 'Ops@Example.com',
  email_verified: true,
  groups: ['gatehouse-operators', 'staff'],
  iat: now(),
  nbf: now(),
  exp: now() + 600,
  ...extra,
});
const without = (payload: JWTPayload, name: string): JWTPayload => Object.fromEntries(Object.entries(payload).filter(([key]) => key !== name));
const sign = (payload: JWTPayload, header: Record<string, unknown> = {}, key: CryptoKey = privateKey) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: KID, ...header }).sign(key);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function door() {
  const invoked: APIGatewayProxyEventV2[] = [];
  const runtime = {
    invoke: (_arn: string, payload: unknown) => {
      invoked.push(payload as APIGatewayProxyEventV2);
      return Promise.resolve({ statusCode: 202, body: '{}' });
    },
  };
  const authorize = jwtAuthorizer({ issuer: ISSUER, audiences: [AUDIENCE], jwks: () => ({ keys: [publicJwk] }) });
  const handler = frontDoor(runtime, () => Promise.resolve({ status: 404 }), authorize);
  const call = (headers: Record<string, string>, path = '/operator/leavers') => {
    const req: HttpRequest = { method: 'POST', path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from('{}') };
    return handler(req);
  };
  return { invoked, call };
}

async function expectRefused(authorization: string | undefined): Promise<void> {
  const { invoked, call } = door();
  const res = await call(authorization === undefined ? {} : { authorization });
  expect(res.status).toBe(401);
  expect(res.body).toBe('{"message":"Unauthorized"}');
  expect(invoked).toHaveLength(0);
}

describe('front door JWT authorizer: refused, function not invoked', () => {
  it('refuses a request without an Authorization header', () => expectRefused(undefined));

  it('refuses an expired token', async () => expectRefused(`Bearer ${await sign(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 60 }))}`));

  it('refuses a token not valid yet (nbf in the future)', async () => expectRefused(`Bearer ${await sign(claims({ nbf: now() + 600 }))}`));

  it('refuses a token issued in the future', async () => expectRefused(`Bearer ${await sign(claims({ iat: now() + 600 }))}`));

  it('refuses a token without exp', async () => {
    await expectRefused(`Bearer ${await sign(without(claims(), 'exp'))}`);
  });

  it('refuses the wrong audience', async () => expectRefused(`Bearer ${await sign(claims({ aud: 'someone-else' }))}`));

  it('refuses the wrong issuer', async () => expectRefused(`Bearer ${await sign(claims({ iss: 'https://evil.example.com' }))}`));

  it('refuses alg none (an unsecured JWT)', async () => {
    await expectRefused(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`);
    await expectRefused(`Bearer ${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64(claims())}.c2ln`);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(secret);
    await expectRefused(`Bearer ${token}`);
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign(claims({ groups: ['staff'] }))).split('.');
    await expectRefused(`Bearer ${header}.${b64(claims())}.${signature}`);
  });

  it('refuses a token signed by another key under the same kid, without a kid, or with an unknown kid', async () => {
    await expectRefused(`Bearer ${await sign(claims(), {}, otherKey)}`);
    await expectRefused(`Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)}`);
    await expectRefused(`Bearer ${await sign(claims(), { kid: 'rotated-away' })}`);
  });

  it('refuses a scheme other than exactly `Bearer `', async () => {
    const token = await sign(claims());
    await expectRefused(`bearer ${token}`);
    await expectRefused(`BEARER ${token}`);
    await expectRefused(`Bearer  ${token}`);
    await expectRefused(`Basic ${token}`);
  });

  it('refuses two tokens in one header', async () => {
    const token = await sign(claims());
    await expectRefused(`Bearer ${token}, Bearer ${token}`);
    await expectRefused(`Bearer ${token} ${token}`);
    await expectRefused(`${token}${token}`);
  });
});

describe('front door JWT authorizer: accepted', () => {
  it('passes the claims on as API Gateway does: strings, arrays as [a b], numbers as text', async () => {
    const { invoked, call } = door();
    const iat = now();
    const res = await call({ authorization: `Bearer ${await sign(claims({ iat, nbf: iat, exp: iat + 600 }))}` });
    expect(res.status).toBe(202);
    expect(invoked).toHaveLength(1);
    const context = invoked[0]?.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, string>; scopes: unknown } } };
    expect(context.authorizer.jwt).toEqual({
      claims: {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'op-1',
        email: 'Ops@Example.com',
        email_verified: 'true',
        groups: '[gatehouse-operators staff]',
        iat: String(iat),
        nbf: String(iat),
        exp: String(iat + 600),
      },
      scopes: null,
    });
    expect(callerOf(invoked[0]!)).toEqual({ subject: 'op-1', email: 'ops@example.com', groups: ['gatehouse-operators', 'staff'] });
  });

  it('accepts a bare token, an audience in client_id (Cognito access tokens), and reads scopes', async () => {
    const { invoked, call } = door();
    const noAud = without(claims({ client_id: AUDIENCE, scope: 'gatehouse/leave openid' }), 'aud');
    expect((await call({ authorization: await sign(noAud) })).status).toBe(202);
    const context = invoked[0]?.requestContext as unknown as { authorizer: { jwt: { scopes: unknown } } };
    expect(context.authorizer.jwt.scopes).toEqual(['gatehouse/leave', 'openid']);
  });

  it('leaves routes without auth alone: no header needed, no authorizer context', async () => {
    const { invoked, call } = door();
    expect((await call({}, '/hris/generic')).status).toBe(202);
    expect(invoked[0]?.requestContext).not.toHaveProperty('authorizer');
  });

  it('verifies what the local issuer signs, and refuses it once its audience differs', async () => {
    const issuer = await createLocalIssuer({ frontDoorUrl: 'http://127.0.0.1:4700' });
    const token = await issuer.issueToken({ email: 'ops@example.com', groups: ['gatehouse-operators'], expiresInSeconds: 60 });
    const good = await jwtAuthorizer({ issuer: issuer.issuer, audiences: ['gatehouse'], jwks: () => issuer.jwks() })(`Bearer ${token}`);
    expect(good).toMatchObject({ ok: true, jwt: { claims: { sub: 'ops@example.com', email: 'ops@example.com', groups: '[gatehouse-operators]', iss: ISSUER } } });
    const bad = await jwtAuthorizer({ issuer: issuer.issuer, audiences: ['other'], jwks: () => issuer.jwks() })(`Bearer ${token}`);
    expect(bad).toEqual({ ok: false, reason: 'audience not allowed' });
  });
});

describe('claim flattening and token extraction', () => {
  it('flattens values like API Gateway', () => {
    expect(flattenClaim(['a', 'b'])).toBe('[a b]');
    expect(flattenClaim([])).toBe('[]');
    expect(flattenClaim(false)).toBe('false');
    expect(flattenClaim({ b: 1, a: ['x'] })).toBe('map[a:[x] b:1]');
  });

  it('takes one compact JWS, bare or after `Bearer `', () => {
    expect(tokenFrom('Bearer a.b.c')).toBe('a.b.c');
    expect(tokenFrom('a.b.c')).toBe('a.b.c');
    expect(tokenFrom('Bearer a.b.')).toBeUndefined();
    expect(tokenFrom('Bearer a.b.c.d.e')).toBeUndefined();
    expect(tokenFrom(undefined)).toBeUndefined();
  });
});
