import { z } from 'zod';
import type { HttpResponse, RequestHandler } from './core/http.ts';
import { refuseUnlessLocal } from './core/loopback.ts';
import { OIDC_PATH, type LocalIssuer } from './oidc.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * The local issuer's routes on the front door:
 *   GET  /_local/oidc/.well-known/openid-configuration  discovery
 *   GET  /_local/oidc/jwks.json                          public keys
 *   POST /_local/oidc/token                              body {sub?, email?, groups?, expiresInSeconds?} -> {access_token, ...}
 */
export function oidcRoutes(issuer: LocalIssuer): RequestHandler {
  return async (req) => {
    const path = req.path.slice(OIDC_PATH.length);
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') return json(200, issuer.discovery(), { 'cache-control': 'max-age=300' });
    if (req.method === 'GET' && path === '/jwks.json') return json(200, issuer.jwks(), { 'cache-control': 'max-age=300' });
    if (req.method === 'POST' && path === '/token') {
      // Minting is for programs on this machine only, never a web page (core/loopback.ts).
      const refused = refuseUnlessLocal(req);
      if (refused) return refused;
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}');
      } catch {
        return json(400, { message: 'body is not JSON' });
      }
      try {
        const token = await issuer.issueToken(body as Parameters<LocalIssuer['issueToken']>[0]);
        const expiresIn = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number; iat: number });
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn.exp - expiresIn.iat, issuer: issuer.issuer, audience: issuer.audience });
      } catch (error) {
        if (error instanceof z.ZodError) return json(400, { message: error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
        throw error;
      }
    }
    return json(404, { message: 'Not Found' });
  };
}
