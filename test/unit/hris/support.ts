import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signBambooHr, signHiBob, signStandardWebhook } from '../../../local/hris-sender.ts';
import type { HrisSource } from '#lib/domain/events/employee-events';
import type { DirectoryEmployee, EmployeeDirectoryPort, HrisRequest } from '#lib/domain/hris/types';
import type { Clock } from '#lib/domain/shared/clock';

export const SAMPLES_DIR = join(import.meta.dirname, '../../../events/hris');

export const NOW = new Date('2026-03-02T08:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

export const clockAt = (date: Date | number): Clock => ({ now: () => new Date(date) });
export const fixedClock = clockAt(NOW);

export const GENERIC_SECRET = `whsec_${Buffer.from('generic-test-key-0123456789abcdef').toString('base64')}`;
export const BAMBOO_SECRET = 'bamboohr-private-key-for-tests';
export const HIBOB_SECRET = 'hibob-webhook-secret-for-tests';

export const toBody = (body: Buffer | string | object): Buffer =>
  Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');

/** Signs like a Standard Webhooks sender (independent of the code under test). */
export function genericRequest(
  body: Buffer | string | object,
  { secret = GENERIC_SECRET, id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp = NOW_SECONDS } = {},
): HrisRequest {
  const rawBody = toBody(body);
  return { rawBody, headers: signStandardWebhook(rawBody, secret, id, timestamp) };
}

export function bamboohrRequest(
  body: Buffer | string | object,
  { secret = BAMBOO_SECRET, timestamp = NOW_SECONDS } = {},
): HrisRequest {
  const rawBody = toBody(body);
  return { rawBody, headers: signBambooHr(rawBody, secret, timestamp) };
}

export function hibobRequest(body: Buffer | string | object, { secret = HIBOB_SECRET } = {}): HrisRequest {
  const rawBody = toBody(body);
  return { rawBody, headers: signHiBob(rawBody, secret) };
}

export const signedRequest: Record<HrisSource, (body: Buffer | string | object) => HrisRequest> = {
  generic: (body) => genericRequest(body),
  bamboohr: (body) => bamboohrRequest(body),
  hibob: (body) => hibobRequest(body),
};
export const SECRETS: Record<HrisSource, string> = { generic: GENERIC_SECRET, bamboohr: BAMBOO_SECRET, hibob: HIBOB_SECRET };

/** A fake directory port that records every lookup. */
export class FakePort implements EmployeeDirectoryPort {
  readonly calls: [HrisSource, string][] = [];
  constructor(private readonly records: Partial<Record<HrisSource, Record<string, DirectoryEmployee>>> = {}) {}

  getEmployee(source: HrisSource, employeeId: string): Promise<DirectoryEmployee | undefined> {
    this.calls.push([source, employeeId]);
    const bySource = this.records[source] ?? {};
    return Promise.resolve(Object.hasOwn(bySource, employeeId) ? bySource[employeeId] : undefined);
  }
}

/** A port that knows everybody: a valid record for any id (for property tests). */
export const everybodyPort: EmployeeDirectoryPort = {
  getEmployee: (_source, employeeId) => Promise.resolve(employee({ employeeId })),
};

export function employee(overrides: Partial<DirectoryEmployee> = {}): DirectoryEmployee {
  return {
    employeeId: 'E-1',
    email: 'test.person@example.com',
    firstName: 'Test',
    lastName: 'Person',
    role: 'engineer',
    employmentType: 'employee',
    startDate: '2026-03-02',
    ...overrides,
  };
}

export const readSample = (source: HrisSource, name: string): Buffer => readFileSync(join(SAMPLES_DIR, source, name));
export const sampleNames = (source: HrisSource): string[] =>
  readdirSync(join(SAMPLES_DIR, source)).filter((name) => name.endsWith('.json')).sort();
export const directoryJson = (): unknown => JSON.parse(readFileSync(join(SAMPLES_DIR, 'directory.json'), 'utf8'));
