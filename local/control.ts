import type { FaultInjector } from './core/faults.ts';
import { FaultSpecError, parseFaultSpec } from './core/faults.ts';
import type { HttpResponse, RequestHandler } from './core/http.ts';
import type { ServiceId } from './endpoints.ts';

interface ControlDeps {
  faults: FaultInjector;
  endpoints: Record<ServiceId, string>;
  inboxUrl: string;
  machines: string[];
  /** The local OIDC issuer's routes (oidc-routes.ts), under /_local/oidc/. */
  oidc: RequestHandler;
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body, null, 2),
});

/**
 * Local-only routes on the front door:
 *   GET  /_local/          what runs where (/ is the console)
 *   GET  /_local/health    200 when booted
 *   GET  /_local/faults    the fault rules in force, and how many calls each throttled
 *   POST /_local/faults    body: a fault spec (`identitystore:*:throttle=0.2`), empty clears
 *   /_local/oidc/...       the local OIDC issuer (discovery, JWKS, token minting on loopback)
 */
export function controlRoutes(deps: ControlDeps): RequestHandler {
  return (req) => {
    if (req.path === '/_local/' && req.method === 'GET') {
      return Promise.resolve(json(200, { service: 'gatehouse local cloud', endpoints: deps.endpoints, inbox: deps.inboxUrl, stateMachines: deps.machines }));
    }
    if (req.path.startsWith('/_local/oidc/')) return deps.oidc(req);
    if (req.path === '/_local/health') return Promise.resolve(json(200, { ok: true }));
    if (req.path === '/_local/faults' && req.method === 'GET') {
      return Promise.resolve(json(200, { rules: deps.faults.current(), throttled: Object.fromEntries(deps.faults.throttled) }));
    }
    if (req.path === '/_local/faults' && req.method === 'POST') {
      try {
        deps.faults.set(parseFaultSpec(req.body.toString('utf8')));
        return Promise.resolve(json(200, { rules: deps.faults.current() }));
      } catch (error) {
        if (error instanceof FaultSpecError) return Promise.resolve(json(400, { message: error.message }));
        throw error;
      }
    }
    return Promise.resolve(json(404, { message: 'Not Found' }));
  };
}
