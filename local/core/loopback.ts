import type { HttpRequest, HttpResponse } from './http.ts';

/**
 * The guard of the local cloud's control endpoints (fault injection, token minting): they
 * change the developer's local cloud, so only programs on this machine may call them, never a
 * web page the developer happens to open.
 *
 * - The server listens on 127.0.0.1 only, and the Host must be a loopback name too, so a page
 *   whose own domain resolves to 127.0.0.1 (DNS rebinding) is refused: 403.
 * - A request sent by a browser carries `Origin` (and `Sec-Fetch-Site`); only loopback origins
 *   pass: 403 otherwise.
 * - A body must be `application/json`: a cross-site form or `no-cors` fetch can only send the
 *   "simple" types (text/plain, form encodings), and a JSON request from another origin needs a
 *   CORS preflight that the local cloud never answers: 415 otherwise.
 * (See the Fetch standard's CORS-safelisted request headers and MDN's "Simple requests".)
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const refuse = (status: number, message: string): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({ message }),
});

function isLoopbackHost(hostAndPort: string): boolean {
  return LOOPBACK_HOSTS.has(hostAndPort.replace(/:\d+$/, '').toLowerCase());
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}

/** Undefined when the request may reach a control endpoint; otherwise the 403 or 415 to answer. */
export function refuseUnlessLocal(req: HttpRequest): HttpResponse | undefined {
  if (!isLoopbackHost(req.headers.host ?? '')) return refuse(403, 'local control endpoints answer loopback hosts only (Host: 127.0.0.1 or localhost)');
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) return refuse(403, `local control endpoints refuse requests from the web origin ${origin}`);
  if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(403, 'local control endpoints refuse cross-site requests');
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return refuse(415, `local control endpoints take application/json bodies only (got ${type || 'no content type'})`);
  }
  return undefined;
}
