import { z } from 'zod';
import { BAMBOOHR_API_FIELDS, bamboohrRecord } from '#lib/domain/hris/bamboohr-record';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { basicAuth, HrisResponseError, VendorHttp, type VendorHttpOptions } from './http.ts';
import { rosterEntry, type RosterEntry, type VendorDirectoryClient } from './vendor-client.ts';

/**
 * BambooHR API v1 (documentation.bamboohr.com): `GET /api/gateway.php/{companyDomain}/v1/
 * employees/{id}?fields=...` reads one employee; the roster is a custom report
 * (`POST .../v1/reports/custom?format=JSON&onlyCurrent=true`), because the employee
 * directory lists active people only and can be switched off by the admin. Auth is HTTP
 * Basic with the API key as user name and any password ("x").
 */
export interface BamboohrCredentials {
  companyDomain: string;
  apiKey: string;
  /** Default https://api.bamboohr.com; the local HRIS locally. */
  baseUrl?: string;
}

export const BAMBOOHR_API_URL = 'https://api.bamboohr.com';
const reportSchema = z.object({ employees: z.array(z.unknown()) });

export class BamboohrClient implements VendorDirectoryClient {
  private readonly http: VendorHttp;
  private readonly auth: string;
  private readonly prefix: string;

  constructor(credentials: BamboohrCredentials, options: Partial<VendorHttpOptions> = {}) {
    this.http = new VendorHttp({ ...options, vendor: 'bamboohr', baseUrl: credentials.baseUrl ?? BAMBOOHR_API_URL });
    this.auth = basicAuth(credentials.apiKey, 'x');
    this.prefix = `/api/gateway.php/${encodeURIComponent(credentials.companyDomain)}/v1`;
  }

  async getEmployee(employeeId: string): Promise<DirectoryEmployee | undefined> {
    const body = await this.http.json({
      call: 'GET /v1/employees/{id}',
      method: 'GET',
      path: `${this.prefix}/employees/${encodeURIComponent(employeeId)}`,
      query: { fields: BAMBOOHR_API_FIELDS.join(','), onlyCurrent: 'true' },
      headers: { authorization: this.auth },
    });
    return body === undefined ? undefined : bamboohrRecord(body);
  }

  async *roster(): AsyncGenerator<RosterEntry> {
    const body = await this.http.json({
      call: 'POST /v1/reports/custom',
      method: 'POST',
      path: `${this.prefix}/reports/custom`,
      query: { format: 'JSON', onlyCurrent: 'true' },
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Gatehouse roster', fields: ['id', ...BAMBOOHR_API_FIELDS] }),
    });
    const parsed = reportSchema.safeParse(body);
    if (!parsed.success) throw new HrisResponseError('bamboohr POST /v1/reports/custom answered no employees array');
    for (const row of parsed.data.employees) {
      const id = z.object({ id: z.union([z.string(), z.number()]) }).safeParse(row);
      yield rosterEntry(id.success ? String(id.data.id) : '?', () => bamboohrRecord(row));
    }
  }
}
