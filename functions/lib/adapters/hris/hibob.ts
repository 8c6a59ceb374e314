import { z } from 'zod';
import { HIBOB_FIELDS, hibobRecord } from '#lib/domain/hris/hibob-record';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { basicAuth, HrisResponseError, VendorHttp, type VendorHttpOptions } from './http.ts';
import { rosterEntry, type RosterEntry, type VendorDirectoryClient } from './vendor-client.ts';

/**
 * Bob's People API (apidocs.hibob.com): `POST /v1/people/{identifier}` reads one employee,
 * `POST /v1/people/search` reads everyone in one response (no pagination; `showInactive:
 * true` includes terminated people). Both take `fields` and `humanReadable`. Auth is HTTP
 * Basic with the API service user's id and token ("API Service Users").
 */
export interface HibobCredentials {
  serviceUserId: string;
  token: string;
  /** Default https://api.hibob.com; the local HRIS locally. */
  baseUrl?: string;
}

export const HIBOB_API_URL = 'https://api.hibob.com';
const searchSchema = z.object({ employees: z.array(z.unknown()) });

export class HibobClient implements VendorDirectoryClient {
  private readonly http: VendorHttp;
  private readonly auth: string;

  constructor(credentials: HibobCredentials, options: Partial<VendorHttpOptions> = {}) {
    this.http = new VendorHttp({ ...options, vendor: 'hibob', baseUrl: credentials.baseUrl ?? HIBOB_API_URL });
    this.auth = basicAuth(credentials.serviceUserId, credentials.token);
  }

  private post(call: string, path: string, body: object): Promise<unknown> {
    return this.http.json({
      call,
      method: 'POST',
      path,
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: HIBOB_FIELDS, humanReadable: 'APPEND', ...body }),
    });
  }

  async getEmployee(employeeId: string): Promise<DirectoryEmployee | undefined> {
    const body = await this.post('POST /v1/people/{id}', `/v1/people/${encodeURIComponent(employeeId)}`, {});
    return body === undefined ? undefined : hibobRecord(body);
  }

  async *roster(): AsyncGenerator<RosterEntry> {
    const body = await this.post('POST /v1/people/search', '/v1/people/search', { showInactive: true });
    const parsed = searchSchema.safeParse(body);
    if (!parsed.success) throw new HrisResponseError('hibob POST /v1/people/search answered no employees array');
    for (const person of parsed.data.employees) {
      const id = z.object({ id: z.union([z.string(), z.number()]) }).safeParse(person);
      yield rosterEntry(id.success ? String(id.data.id) : '?', () => hibobRecord(person));
    }
  }
}
