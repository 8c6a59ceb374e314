import { createHash, randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponse } from './core/http.ts';
import { escapeHtml, loginPage, type DemoPerson } from './oidc-login-page.ts';
import type { LocalIssuer } from './oidc.ts';

/**
 * The local issuer's Authorization Code flow with PKCE, for the console (and any public client
 * registered here): what Okta, Entra ID or Cognito do for the console on AWS.
 *
 *   GET  /_local/oidc/authorize   validates the request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, PKCE
 *                                 S256 required as OAuth 2.1 asks of public clients) and shows a
 *                                 login page: pick one of the demo people
 *   POST /_local/oidc/authorize   the pick: a one-time code, 60 s, redirect to the client
 *   POST /_local/oidc/token       form-encoded `grant_type=authorization_code`: the code, redirect_uri,
 *                                 client_id and code_verifier must all match (RFC 7636 §4.6);
 *                                 a code works once. Errors are RFC 6749 §5.2's `{error, error_description}`.
 *
 * An authorization request whose client or redirect_uri is wrong gets an error page and is never
 * redirected (RFC 6749 §4.1.2.1); other errors go back to the client as `?error=...&state=...`.
 */

export interface PublicClient {
  clientId: string;
  redirectUris: readonly string[];
}

export interface CodeFlowOptions {
  clients: readonly PublicClient[];
  /** Who the login page offers (demo personas and the employees the cloud knows). */
  people(): Promise<DemoPerson[]>;
  now?: () => number;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  person: DemoPerson;
  expiresAt: number;
}

const CODE_SECONDS = 60;

const html = (status: number, body: string): HttpResponse => ({
  status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  },
  body,
});
const tokenError = (error: string, description: string, status = 400): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
  body: JSON.stringify({ error, error_description: description }),
});
const redirect = (to: URL): HttpResponse => ({ status: 302, headers: { location: to.toString(), 'cache-control': 'no-store' }, body: '' });
const errorPage = (message: string): HttpResponse =>
  html(400, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>This sign-in request is not valid</h1><p>${escapeHtml(message)}</p></main></body></html>`);

const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');
/** RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~]; a challenge in S256 is 43 base64url characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

type Checked = { ok: true; params: Record<string, string>; client: PublicClient } | { ok: false; response: HttpResponse };

export function codeFlow(issuer: LocalIssuer, options: CodeFlowOptions) {
  const codes = new Map<string, PendingCode>();
  const now = options.now ?? Date.now;

  /** The authorization request's parameters, checked; an error page or an error redirect otherwise. */
  const check = (source: URLSearchParams): Checked => {
    const params = Object.fromEntries(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'].flatMap((k) => {
      const v = source.get(k);
      return v === null ? [] : [[k, v]];
    })) as Record<string, string>;
    const client = options.clients.find((c) => c.clientId === params.client_id);
    if (!client) return { ok: false, response: errorPage(`client_id ${JSON.stringify(params.client_id ?? '')} is not a registered client`) };
    if (!params.redirect_uri || !client.redirectUris.includes(params.redirect_uri)) {
      return { ok: false, response: errorPage(`redirect_uri ${JSON.stringify(params.redirect_uri ?? '')} is not registered for ${client.clientId}`) };
    }
    const back = (error: string, description: string): Checked => {
      const to = new URL(params.redirect_uri!);
      to.searchParams.set('error', error);
      to.searchParams.set('error_description', description);
      if (params.state) to.searchParams.set('state', params.state);
      to.searchParams.set('iss', issuer.issuer);
      return { ok: false, response: redirect(to) };
    };
    if (params.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
    if (!(params.scope ?? '').split(' ').includes('openid')) return back('invalid_scope', 'scope must include openid');
    if (params.code_challenge_method !== 'S256') return back('invalid_request', 'PKCE is required: code_challenge_method must be S256');
    if (!CHALLENGE.test(params.code_challenge ?? '')) return back('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
    return { ok: true, params, client };
  };

  const authorizeGet = async (req: HttpRequest): Promise<HttpResponse> => {
    const checked = check(req.query);
    if (!checked.ok) return checked.response;
    return html(200, loginPage(await options.people(), checked.params));
  };

  const authorizePost = async (req: HttpRequest): Promise<HttpResponse> => {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const checked = check(form);
    if (!checked.ok) return checked.response;
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const known = (await options.people()).find((p) => p.email === email);
    const custom = form.get('custom') === '1';
    if (!known && !(custom && /^[^\s@]+@[^\s@]+$/.test(email))) return errorPage(`pick one of the people on the list, or type an e-mail address (got ${JSON.stringify(email)})`);
    const groups = custom ? (form.get('groups') ?? '').split(/[\s,]+/).filter((g) => g.length > 0) : (known?.groups ?? []);
    const person: DemoPerson = known && !custom ? known : { email, name: email, groups, note: 'typed in' };
    const code = randomBytes(32).toString('base64url');
    const { params } = checked;
    codes.set(code, {
      clientId: checked.client.clientId,
      redirectUri: params.redirect_uri!,
      codeChallenge: params.code_challenge!,
      nonce: params.nonce,
      scope: params.scope!,
      person,
      expiresAt: now() + CODE_SECONDS * 1000,
    });
    const to = new URL(params.redirect_uri!);
    to.searchParams.set('code', code);
    if (params.state) to.searchParams.set('state', params.state);
    to.searchParams.set('iss', issuer.issuer);
    return redirect(to);
  };

  const token = async (req: HttpRequest): Promise<HttpResponse> => {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('grant_type') !== 'authorization_code') return tokenError('unsupported_grant_type', 'grant_type must be authorization_code');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // A code is spent by any attempt to use it (RFC 6749 §4.1.2: used at most once).
    codes.delete(code);
    if (!pending || pending.expiresAt < now()) return tokenError('invalid_grant', 'the code is unknown, used or expired');
    if (form.get('client_id') !== pending.clientId) return tokenError('invalid_grant', 'client_id does not match the code');
    if (form.get('redirect_uri') !== pending.redirectUri) return tokenError('invalid_grant', 'redirect_uri does not match the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!VERIFIER.test(verifier)) return tokenError('invalid_request', 'code_verifier must be 43-128 unreserved characters');
    if (s256(verifier) !== pending.codeChallenge) return tokenError('invalid_grant', 'code_verifier does not match code_challenge');
    const expiresIn = 3600;
    const { person } = pending;
    const accessToken = await issuer.issueToken({ email: person.email, groups: person.groups, expiresInSeconds: expiresIn });
    const idToken = await issuer.issueIdToken({ audience: pending.clientId, email: person.email, name: person.name, groups: person.groups, nonce: pending.nonce, expiresInSeconds: expiresIn });
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
      body: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, id_token: idToken, scope: pending.scope }),
    };
  };

  return { authorizeGet, authorizePost, token };
}
