import { z } from 'zod';
import type { FaultInjector } from './core/faults.ts';
import { FaultSpecError, parseFaultSpec } from './core/faults.ts';
import type { HttpRequest, HttpResponse, RequestHandler } from './core/http.ts';
import { refuseUnlessLocal } from './core/loopback.ts';
import type { ServiceId } from './endpoints.ts';

interface ControlDeps {
  faults: FaultInjector;
  endpoints: Record<ServiceId, string>;
  inboxUrl: string;
  machines: string[];
  /** The local OIDC issuer's routes (oidc-routes.ts), under /_local/oidc/. */
  oidc: RequestHandler;
  /** The Slack stand-in (slack/stand-in.ts), under /_local/slack/. */
  slack?: RequestHandler;
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body, null, 2),
});

const FAULTS = '/_local/faults';
const specBody = z.strictObject({ spec: z.string().trim().min(1, 'spec must hold at least one rule (DELETE /_local/faults clears them all)') });

/** The fault spec in a JSON body `{"spec": "..."}`, or the 400 to answer. */
function readSpec(req: HttpRequest): ReturnType<typeof parseFaultSpec> | HttpResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return json(400, { message: 'body is not JSON: send {"spec": "identitystore:*:throttle=0.2"}' });
  }
  const parsed = specBody.safeParse(body);
  if (!parsed.success) return json(400, { message: `body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` });
  try {
    return parseFaultSpec(parsed.data.spec);
  } catch (error) {
    if (error instanceof FaultSpecError) return json(400, { message: error.message });
    throw error;
  }
}

/**
 * Fault rules, one by one (local/README.md, "Fault injection"):
 *   GET    /_local/faults        the rules in force (with ids), and how many calls were throttled
 *   POST   /_local/faults        {"spec": "<rules>"} adds rules after the ones in force: 201 with their ids
 *   PUT    /_local/faults        {"spec": "<rules>"} replaces every rule
 *   DELETE /_local/faults/<id>   removes one rule (404 for an unknown id)
 *   DELETE /_local/faults        removes every rule
 * A bad rule is a 400 naming it, and changes nothing.
 */
function faultRoutes(faults: FaultInjector, req: HttpRequest): HttpResponse {
  const shown = () => ({ rules: faults.current(), throttled: Object.fromEntries(faults.throttled) });
  if (req.path === FAULTS) {
    if (req.method === 'GET') return json(200, shown());
    if (req.method === 'DELETE') {
      faults.set([]);
      return json(200, shown());
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const rules = readSpec(req);
      if (!Array.isArray(rules)) return rules;
      const added = req.method === 'POST' ? faults.add(rules) : faults.set(rules);
      return json(req.method === 'POST' ? 201 : 200, { added, rules: faults.current() });
    }
    return json(405, { message: `${req.method} is not allowed on ${FAULTS} (GET, POST, PUT, DELETE)` });
  }
  const id = decodeURIComponent(req.path.slice(FAULTS.length + 1));
  if (req.method !== 'DELETE') return json(405, { message: `${req.method} is not allowed on a fault rule (DELETE removes it)` });
  if (!faults.remove(id)) return json(404, { message: `no fault rule ${id} (GET ${FAULTS} lists the rules in force)` });
  return json(200, { removed: id, rules: faults.current() });
}

/**
 * Local-only routes on the front door:
 *   GET  /_local/          what runs where (/ is the console)
 *   GET  /_local/health    200 when booted
 *   /_local/faults...      fault injection (above); loopback callers sending JSON only (core/loopback.ts)
 *   /_local/oidc/...       the local OIDC issuer (discovery, JWKS, token minting on loopback)
 *   /_local/slack/...      the Slack stand-in: Web API, messages, signed clicks (slack/stand-in.ts)
 */
export function controlRoutes(deps: ControlDeps): RequestHandler {
  return (req) => {
    if (req.path === '/_local/' && req.method === 'GET') {
      return Promise.resolve(json(200, { service: 'gatehouse local cloud', endpoints: deps.endpoints, inbox: deps.inboxUrl, stateMachines: deps.machines }));
    }
    if (req.path.startsWith('/_local/oidc/')) return deps.oidc(req);
    if (deps.slack && (req.path === '/_local/slack' || req.path.startsWith('/_local/slack/'))) return deps.slack(req);
    if (req.path === '/_local/health') return Promise.resolve(json(200, { ok: true }));
    if (req.path === FAULTS || req.path.startsWith(`${FAULTS}/`)) {
      try {
        return Promise.resolve(refuseUnlessLocal(req) ?? faultRoutes(deps.faults, req));
      } catch (error) {
        if (error instanceof URIError) return Promise.resolve(json(400, { message: 'malformed percent-encoding in the path' }));
        throw error;
      }
    }
    return Promise.resolve(json(404, { message: 'Not Found' }));
  };
}
