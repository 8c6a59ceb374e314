import { z } from 'zod';
import { parsePersonioEmployment, parsePersonioPerson, personioRecord, type PersonioPerson } from '#lib/domain/hris/personio-record';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { HrisCredentialsError, HrisResponseError, VendorHttp, type VendorHttpOptions } from './http.ts';
import { rosterEntry, type RosterEntry, type VendorDirectoryClient } from './vendor-client.ts';

/**
 * Personio API v2 (developer.personio.de): `POST /v2/auth/token` (OAuth 2.0 client
 * credentials, form-encoded `client_id`, `client_secret`, `grant_type`) gives a bearer
 * token, cached until a minute before `expires_in` and fetched again after a 401;
 * `GET /v2/persons/{id}`, `GET /v2/persons?limit=50&cursor=...` (cursor pages, next link in
 * `_meta.links.next.href`) and `GET /v2/persons/{id}/employments?limit=1` (most recent first).
 * Scopes: `personio:persons:read`, `personio:employments:read`.
 */
export interface PersonioCredentials {
  clientId: string;
  clientSecret: string;
  /** Default https://api.personio.de; the local HRIS locally. */
  baseUrl?: string;
}

export const PERSONIO_API_URL = 'https://api.personio.de';
const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });
const pageSchema = z.object({
  _data: z.array(z.unknown()),
  _meta: z.object({ links: z.object({ next: z.object({ href: z.string() }).nullable().optional() }).optional() }).optional(),
});

export class PersonioClient implements VendorDirectoryClient {
  private readonly http: VendorHttp;
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: PersonioCredentials,
    options: Partial<VendorHttpOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.http = new VendorHttp({ ...options, vendor: 'personio', baseUrl: credentials.baseUrl ?? PERSONIO_API_URL });
  }

  private async fetchToken(): Promise<string> {
    const form = new URLSearchParams({ client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret, grant_type: 'client_credentials' });
    let body: unknown;
    try {
      body = await this.http.json({ call: 'POST /v2/auth/token', method: 'POST', path: '/v2/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    } catch (error) {
      // Personio answers a wrong client id or secret with 400 invalid_client (its documented examples), not only 401.
      if (error instanceof HrisResponseError && error.status === 400) throw new HrisCredentialsError('personio POST /v2/auth/token rejected the credentials (400)', { cause: error });
      throw error;
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) throw new HrisResponseError('personio POST /v2/auth/token answered no access_token');
    const lifetime = (parsed.data.expires_in ?? 3600) * 1000;
    this.token = { value: parsed.data.access_token, expiresAt: this.now() + Math.max(0, lifetime - 60_000) };
    return parsed.data.access_token;
  }

  /** One token request at a time, however many calls wait for it. */
  private bearer(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async get(call: string, path: string, query: Record<string, string> = {}): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.bearer();
      try {
        return await this.http.json({ call, method: 'GET', path, query, headers: { authorization: `Bearer ${token}` } });
      } catch (error) {
        if (!(error instanceof HrisCredentialsError) || attempt > 0) throw error;
        if (this.token?.value === token) this.token = undefined; // expired or revoked early: fetch a new one once
      }
    }
  }

  private async recordOf(person: PersonioPerson): Promise<DirectoryEmployee | undefined> {
    const body = await this.get('GET /v2/persons/{id}/employments', `/v2/persons/${encodeURIComponent(person.id)}/employments`, { limit: '1' });
    const page = pageSchema.safeParse(body ?? { _data: [] });
    if (!page.success) throw new HrisResponseError('personio GET /v2/persons/{id}/employments answered no _data array');
    const latest = page.data._data[0];
    return latest === undefined ? undefined : personioRecord(person, parsePersonioEmployment(latest, person.id));
  }

  async getEmployee(employeeId: string): Promise<DirectoryEmployee | undefined> {
    const body = await this.get('GET /v2/persons/{id}', `/v2/persons/${encodeURIComponent(employeeId)}`);
    return body === undefined ? undefined : this.recordOf(parsePersonioPerson(body));
  }

  async *roster(): AsyncGenerator<RosterEntry> {
    let query: Record<string, string> = { limit: '50' };
    for (;;) {
      const page = pageSchema.safeParse(await this.get('GET /v2/persons', '/v2/persons', query));
      if (!page.success) throw new HrisResponseError('personio GET /v2/persons answered no _data array');
      // The page's people are read concurrently; the client's concurrency cap bounds the calls in flight.
      const entries = await Promise.all(page.data._data.map(async (value): Promise<RosterEntry | undefined> => {
        const id = z.object({ id: z.union([z.string(), z.number()]) }).safeParse(value);
        const employeeId = id.success ? String(id.data.id) : '?';
        try {
          const record = await this.recordOf(parsePersonioPerson(value));
          return record === undefined ? undefined : rosterEntry(employeeId, () => record);
        } catch (error) {
          return rosterEntry(employeeId, () => {
            throw error;
          });
        }
      }));
      for (const entry of entries) if (entry !== undefined) yield entry;
      const next = page.data._meta?.links?.next?.href;
      const cursor = next ? new URL(next, 'https://x.invalid').searchParams.get('cursor') : null;
      if (!cursor) return;
      query = { limit: '50', cursor };
    }
  }
}
