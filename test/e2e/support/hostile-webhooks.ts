import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hirePayload } from '../../../local/demo/hris.ts';
import { signBambooHr, signHiBob, signStandardWebhook } from '../../../local/hris-sender.ts';

/**
 * Webhooks an attacker, a broken proxy or a confused HRIS might send, each with the status the
 * front door must answer. Requests are built when a test runs, so they carry fresh timestamps
 * and the signing keys of the cloud under test.
 */

export interface HrisKeys {
  generic: string;
  bamboohr: string;
  hibob: string;
}

export interface RawRequest {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
  method?: string;
}

export interface HostileWebhook {
  name: string;
  status: number;
  /** Text the error message must contain (the field it names). */
  names?: string;
  /** The request for a hire of employee `id` (so the test can look for what it might have created). */
  request(id: string, keys: HrisKeys): RawRequest;
}

export interface Answer {
  status: number;
  body: { error?: string; message?: string; deliveryId?: string; events?: number };
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MAX_BODY = 256 * 1024;
const FORGED_KEY = `whsec_${Buffer.from('not-the-key-gatehouse-holds-32-b').toString('base64')}`;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
export const sample = (path: string): Buffer => readFileSync(join(ROOT, 'events', 'hris', path));
const bytes = (value: object | string): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

/** An engineer's hire as the generic HRIS sends it, with `edit` applied to `data` (to make one field wrong). */
function hire(id: string, edit: (data: Record<string, unknown>) => void = () => undefined): Buffer {
  const payload = hirePayload({ id, role: 'engineer' }) as { data: Record<string, unknown> };
  edit(payload.data);
  return bytes(payload);
}

/** Standard Webhooks headers over `body` with the delivery id `id`, now, with `key`. */
export const standardHeaders = (body: Buffer, id: string, key: string, at = nowSeconds()) => signStandardWebhook(body, key, id, at);

const without = (headers: Record<string, string>, name: string) => Object.fromEntries(Object.entries(headers).filter(([header]) => header !== name));

/** A generic delivery of `body` with exactly these `headers`. */
const generic = (body: Buffer, headers: Record<string, string>, path = '/hris/generic'): RawRequest => ({ path, body, headers });

/** One engineer hire, signed over its exact bytes with `key` (at `at`), then with one header dropped. */
export function signedHire(id: string, key: string, options: { at?: number; drop?: string } = {}): RawRequest {
  const body = hire(id);
  const headers = standardHeaders(body, id, key, options.at);
  return generic(body, options.drop ? without(headers, options.drop) : headers);
}

const signedGeneric = (body: Buffer, id: string, keys: HrisKeys, path?: string) => generic(body, standardHeaders(body, id, keys.generic), path);

export const HOSTILE_WEBHOOKS: HostileWebhook[] = [
  { name: 'signed with another key', status: 401, request: (id) => signedHire(id, FORGED_KEY) },
  {
    name: 'body changed after signing',
    status: 401,
    request: (id, keys) => ({ ...signedHire(id, keys.generic), body: hire(id, (d) => (d.role = 'finance-admin')) }),
  },
  { name: 'no signature headers at all', status: 401, request: (id) => generic(hire(id), {}) },
  { name: 'no webhook-signature header', status: 401, request: (id, keys) => signedHire(id, keys.generic, { drop: 'webhook-signature' }) },
  { name: 'no webhook-timestamp header', status: 401, request: (id, keys) => signedHire(id, keys.generic, { drop: 'webhook-timestamp' }) },
  { name: 'no webhook-id header', status: 401, request: (id, keys) => signedHire(id, keys.generic, { drop: 'webhook-id' }) },
  { name: 'timestamp 6 minutes old', status: 401, request: (id, keys) => signedHire(id, keys.generic, { at: nowSeconds() - 6 * 60 }) },
  { name: 'timestamp 6 minutes ahead', status: 401, request: (id, keys) => signedHire(id, keys.generic, { at: nowSeconds() + 6 * 60 }) },
  { name: 'body over 256 KiB, correctly signed', status: 413, request: (id, keys) => signedGeneric(hire(id, (d) => (d.padding = 'x'.repeat(MAX_BODY))), id, keys) },
  { name: 'truncated JSON', status: 400, names: 'body: is not valid JSON', request: (id, keys) => signedGeneric(hire(id).subarray(0, -7), id, keys) },
  {
    name: 'a non-JSON body',
    status: 400,
    names: 'body: is not valid JSON',
    request: (id, keys) => {
      const body = bytes(`<employee id="${id}"/>`);
      return generic(body, { ...standardHeaders(body, id, keys.generic), 'content-type': 'application/xml' });
    },
  },
  { name: 'an empty body', status: 400, names: 'body: is not valid JSON', request: (id, keys) => signedGeneric(Buffer.alloc(0), id, keys) },
  { name: 'an unknown event type', status: 400, names: 'body.type', request: (id, keys) => signedGeneric(bytes({ ...hirePayload({ id, role: 'engineer' }), type: 'employee.promoted' }), id, keys) },
  { name: 'employeeId as a number', status: 400, names: 'body.data.employeeId', request: (id, keys) => signedGeneric(hire(id, (d) => (d.employeeId = 4711)), id, keys) },
  { name: 'startDate as a number', status: 400, names: 'body.data.startDate', request: (id, keys) => signedGeneric(hire(id, (d) => (d.startDate = 20260301)), id, keys) },
  { name: 'data as a list', status: 400, names: 'body.data', request: (id, keys) => signedGeneric(bytes({ ...hirePayload({ id, role: 'engineer' }), data: [id] }), id, keys) },
  { name: 'role not in the catalogue', status: 400, names: "role 'root' sent by the HRIS is not in the catalogue", request: (id, keys) => signedGeneric(hire(id, (d) => (d.role = 'root')), id, keys) },
  { name: 'an unknown field', status: 400, names: 'body.data.salary: unknown field', request: (id, keys) => signedGeneric(hire(id, (d) => (d.salary = 1)), id, keys) },
  { name: 'an unknown source path', status: 404, request: (id, keys) => signedGeneric(hire(id), id, keys, '/hris/workday') },
  { name: 'a path below a source', status: 404, request: (id, keys) => signedGeneric(hire(id), id, keys, '/hris/generic/hire') },
  { name: 'GET instead of POST', status: 404, request: () => ({ path: '/hris/generic', body: Buffer.alloc(0), headers: {}, method: 'GET' }) },
  {
    name: 'BambooHR signed with another key',
    status: 401,
    request: () => ({ path: '/hris/bamboohr', body: sample('bamboohr/field-based-created.json'), headers: signBambooHr(sample('bamboohr/field-based-created.json'), 'another-key', nowSeconds()) }),
  },
  {
    name: 'BambooHR with a stale timestamp',
    status: 401,
    request: (_id, keys) => ({ path: '/hris/bamboohr', body: sample('bamboohr/field-based-created.json'), headers: signBambooHr(sample('bamboohr/field-based-created.json'), keys.bamboohr, nowSeconds() - 6 * 60) }),
  },
  {
    name: 'HiBob signed with another key',
    status: 401,
    request: () => ({ path: '/hris/hibob', body: sample('hibob/employee-joined.json'), headers: signHiBob(sample('hibob/employee-joined.json'), 'another-key') }),
  },
];

/** Sends a raw request to the front door with real fetch; the body is parsed as JSON when it is JSON. */
export async function sendRaw(frontDoor: string, request: RawRequest): Promise<Answer> {
  const method = request.method ?? 'POST';
  const res = await fetch(`${frontDoor}${request.path}`, {
    method,
    headers: { 'content-type': 'application/json', ...request.headers },
    ...(method === 'GET' ? {} : { body: request.body }),
  });
  const text = await res.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = { message: text };
  }
  return { status: res.status, body };
}
