import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, RequestHandler } from '../core/http.ts';
import { HrisFaultQueue, type HrisFault } from './faults.ts';
import { LOCAL_VENDORS, type LocalVendor, type PeopleStore } from './people.ts';
import { bamboohrEmployee, hibobPerson, personioEmployment, personioPerson } from './vendors.ts';

/** The credentials the local HRIS accepts, one set per vendor (generated per installation by the local cloud). */
export interface LocalHrisCredentials {
  hibob: { serviceUserId: string; token: string };
  bamboohr: { companyDomain: string; apiKey: string };
  personio: { clientId: string; clientSecret: string };
}

export interface LocalHrisOptions {
  people: PeopleStore;
  credentials: LocalHrisCredentials;
  faults?: HrisFaultQueue;
  /** How long a `timeout` fault holds its response (default 30 s). */
  hangMs?: number;
  /** Personio token lifetime in seconds (default 86400, Personio's stable 24 h token). */
  personioTokenSeconds?: number;
  now?: () => number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function basicUser(req: HttpRequest): { user: string; password: string } | undefined {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function bodyJson(req: HttpRequest): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One HTTP server speaking Bob's People API, BambooHR's API v1 and Personio's API v2, with each vendor's auth. */
export class LocalHris {
  readonly faults: HrisFaultQueue;
  /** API calls answered, per vendor (faults included). */
  readonly calls = new Map<LocalVendor, number>();
  private readonly tokens = new Map<string, number>();
  private readonly hung = new Map<NodeJS.Timeout, () => void>();

  constructor(private readonly options: LocalHrisOptions) {
    this.faults = options.faults ?? new HrisFaultQueue();
  }

  get people(): PeopleStore {
    return this.options.people;
  }

  /** As when an admin revokes the service user or API key in the vendor's UI: the old credentials stop working. */
  revokeCredentials(vendor: LocalVendor): void {
    const creds = this.options.credentials;
    if (vendor === 'hibob') creds.hibob = { ...creds.hibob, token: `revoked-${randomBytes(8).toString('hex')}` };
    if (vendor === 'bamboohr') creds.bamboohr = { ...creds.bamboohr, apiKey: `revoked-${randomBytes(8).toString('hex')}` };
    if (vendor === 'personio') {
      creds.personio = { ...creds.personio, clientSecret: `revoked-${randomBytes(8).toString('hex')}` };
      this.tokens.clear();
    }
  }

  /**
   * Restores one vendor's credentials (a test's cleanup, or the admin issuing the old ones again).
   * Per vendor on purpose: restoring a whole copy would also undo a revocation another test made
   * meanwhile for its own vendor (tests of the three vendors run side by side).
   */
  restoreCredentials(vendor: LocalVendor, from: LocalHrisCredentials): void {
    const creds = this.options.credentials;
    if (vendor === 'hibob') creds.hibob = structuredClone(from.hibob);
    if (vendor === 'bamboohr') creds.bamboohr = structuredClone(from.bamboohr);
    if (vendor === 'personio') creds.personio = structuredClone(from.personio);
  }

  /** A copy of the credentials in force. */
  credentials(): LocalHrisCredentials {
    return structuredClone(this.options.credentials);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async fault(vendor: LocalVendor): Promise<HttpResponse | undefined> {
    this.calls.set(vendor, (this.calls.get(vendor) ?? 0) + 1);
    const fault: HrisFault | undefined = this.faults.take(vendor);
    if (fault === undefined) return undefined;
    if (fault.kind === '429') return json(429, { error: 'Too Many Requests' }, { 'retry-after': String(fault.retryAfterSeconds) });
    if (fault.kind === '500') return json(500, { error: 'Internal Server Error' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.hung.delete(timer);
        resolve();
      }, this.options.hangMs ?? 30_000);
      this.hung.set(timer, resolve);
    });
    return json(504, { error: 'Gateway Timeout' });
  }

  private hibob(req: HttpRequest): HttpResponse {
    const creds = this.options.credentials.hibob;
    const auth = basicUser(req);
    if (!auth || !same(auth.user, creds.serviceUserId) || !same(auth.password, creds.token)) return json(401, { error: 'Unauthorized' });
    const body = bodyJson(req);
    const humanReadable = typeof body.humanReadable === 'string' ? body.humanReadable : undefined;
    if (req.method === 'POST' && req.path === '/v1/people/search') {
      const everyone = this.options.people.list('hibob').filter((person) => body.showInactive === true || person.status === 'active');
      return json(200, { employees: everyone.map((person) => hibobPerson(person, humanReadable)) });
    }
    const match = /^\/v1\/people\/([^/]+)$/.exec(req.path);
    if (req.method === 'POST' && match) {
      const id = decodeURIComponent(match[1] ?? '');
      const person = this.options.people.get('hibob', id) ?? this.options.people.list('hibob').find((p) => p.email === id);
      return person ? json(200, hibobPerson(person, humanReadable)) : json(404, { error: 'Employee not found' });
    }
    return json(404, { error: 'Not Found' });
  }

  private bamboohr(req: HttpRequest): HttpResponse {
    const creds = this.options.credentials.bamboohr;
    const match = /^\/api\/gateway\.php\/([^/]+)\/v1\/(.+)$/.exec(req.path);
    if (!match || match[1] !== creds.companyDomain) return { status: 404, body: 'Not Found' };
    const auth = basicUser(req);
    if (!auth || !same(auth.user, creds.apiKey)) return { status: 401, headers: { 'www-authenticate': 'Basic realm="BambooHR"' }, body: 'Unauthorized' };
    const rest = match[2] ?? '';
    const employee = /^employees\/([^/]+)$/.exec(rest);
    if (req.method === 'GET' && employee) {
      const person = this.options.people.get('bamboohr', decodeURIComponent(employee[1] ?? ''));
      const fields = (req.query.get('fields') ?? '').split(',').filter((field) => field !== '');
      return person ? json(200, bamboohrEmployee(person, fields)) : { status: 404, body: 'Not Found' };
    }
    if (req.method === 'POST' && rest === 'reports/custom') {
      const fields = Array.isArray(bodyJson(req).fields) ? (bodyJson(req).fields as unknown[]).filter((f): f is string => typeof f === 'string') : [];
      const employees = this.options.people.list('bamboohr').map((person) => bamboohrEmployee(person, fields));
      return json(200, { title: 'Report', fields: fields.map((id) => ({ id, type: 'text', name: id })), employees });
    }
    return { status: 404, body: 'Not Found' };
  }

  private personioToken(req: HttpRequest): HttpResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const creds = this.options.credentials.personio;
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    if (!same(form.get('client_id') ?? '', creds.clientId) || !same(form.get('client_secret') ?? '', creds.clientSecret)) return json(400, { error: 'invalid_client' });
    const lifetime = this.options.personioTokenSeconds ?? 86_400;
    const token = `papi-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, this.now() + lifetime * 1000);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime, scope: 'personio:persons:read personio:employments:read' });
  }

  private personio(req: HttpRequest): HttpResponse {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const expires = this.tokens.get(bearer);
    if (expires === undefined || expires <= this.now()) return json(401, { errors: [{ title: 'Unauthorized', detail: 'Invalid or expired token' }] });
    const people = this.options.people;
    if (req.method === 'GET' && req.path === '/v2/persons') {
      const limit = Math.min(50, Math.max(1, Number(req.query.get('limit') ?? '10') || 10));
      const start = Number(req.query.get('cursor')?.replace(/^cur_/, '') ?? '0') || 0;
      const all = people.list('personio');
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? { href: `/v2/persons?limit=${limit}&cursor=cur_${start + limit}` } : null;
      return json(200, { _data: page.map(personioPerson), _meta: { links: { self: { href: req.path }, next } } });
    }
    const employments = /^\/v2\/persons\/([^/]+)\/employments$/.exec(req.path);
    if (req.method === 'GET' && employments) {
      const person = people.get('personio', decodeURIComponent(employments[1] ?? ''));
      return person ? json(200, { _data: [personioEmployment(person)], _meta: { links: { next: null } } }) : json(404, { errors: [{ title: 'Not found' }] });
    }
    const single = /^\/v2\/persons\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && single) {
      const person = people.get('personio', decodeURIComponent(single[1] ?? ''));
      return person ? json(200, personioPerson(person)) : json(404, { errors: [{ title: 'Person not found' }] });
    }
    return json(404, { errors: [{ title: 'Not found' }] });
  }

  /** The vendor an API path belongs to. */
  static vendorOf(path: string): LocalVendor | undefined {
    if (path.startsWith('/v1/people')) return 'hibob';
    if (path.startsWith('/api/gateway.php/')) return 'bamboohr';
    if (path.startsWith('/v2/')) return 'personio';
    return undefined;
  }

  readonly handler: RequestHandler = async (req) => {
    const vendor = LocalHris.vendorOf(req.path);
    if (vendor === undefined) return json(404, { error: 'Not Found', vendors: LOCAL_VENDORS });
    const failed = await this.fault(vendor);
    if (failed) return failed;
    if (vendor === 'hibob') return this.hibob(req);
    if (vendor === 'bamboohr') return this.bamboohr(req);
    return req.method === 'POST' && req.path === '/v2/auth/token' ? this.personioToken(req) : this.personio(req);
  };

  /** Releases responses held by `timeout` faults. */
  stop(): void {
    for (const [timer, release] of this.hung) {
      clearTimeout(timer);
      release();
    }
    this.hung.clear();
  }
}
