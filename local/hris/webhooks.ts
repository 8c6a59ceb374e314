import { randomUUID } from 'node:crypto';
import { signBambooHr, signHiBob, signPersonio, type SignedHeaders } from '../hris-sender.ts';
import type { LocalPerson, LocalVendor } from './people.ts';

/**
 * The webhooks each vendor sends when HR hires, changes or terminates someone, thin as the
 * vendors send them (ids and changed field names, never values) and signed as each signs:
 * HiBob `Bob-Signature`, BambooHR event-based `X-BambooHR-Signature` + timestamp, Personio
 * the configured token in `Authorization`.
 */
export type HrAction = 'hire' | 'change' | 'terminate';
type PersonField = keyof LocalPerson;

const HIBOB_FIELD_IDS: Partial<Record<PersonField, string>> = {
  title: '/work/title', department: '/work/department', managerId: '/work/reportsTo', managerEmail: '/work/reportsTo',
  gatehouseRole: '/work/custom/gatehouseRole', employmentType: '/payroll/employment/type', email: '/root/email',
  firstName: '/root/firstName', lastName: '/root/surname', endDate: '/work/custom/contractEndDate', startDate: '/work/startDate',
};
const BAMBOO_ALIASES: Partial<Record<PersonField, string>> = {
  title: 'jobTitle', department: 'department', managerId: 'supervisorEId', managerEmail: 'supervisorEmail', gatehouseRole: 'customGatehouseRole',
  employmentType: 'employmentHistoryStatus', email: 'workEmail', firstName: 'firstName', lastName: 'lastName', endDate: 'customContractEndDate', startDate: 'hireDate',
};

export interface WebhookDelivery {
  source: LocalVendor;
  body: Buffer;
  headers: SignedHeaders;
}

export interface WebhookInput {
  vendor: LocalVendor;
  action: HrAction;
  person: LocalPerson;
  /** Fields that changed (action `change`). */
  changed?: PersonField[];
  /** Signing secret (HiBob, BambooHR) or token (Personio) of the receiving webhook. */
  secret: string;
  now?: Date;
}

function hibobBody(input: WebhookInput, at: Date): object {
  const type = input.action === 'hire' ? 'employee.joined' : input.action === 'change' ? 'employee.updated' : 'employee.left';
  const data: Record<string, unknown> = { employeeId: input.person.id };
  if (input.action === 'change') data.fieldUpdates = [...new Set((input.changed ?? []).map((field) => HIBOB_FIELD_IDS[field]).filter(Boolean))].map((fieldId) => ({ fieldId }));
  if (input.action === 'terminate' && input.person.terminationDate) data.effectiveDate = input.person.terminationDate;
  return { companyId: 636192, type, triggeredBy: 'system', triggeredAt: at.toISOString().replace('Z', ''), version: 'v2', data };
}

function bamboohrBody(input: WebhookInput, at: Date): object {
  const type = input.action === 'hire' ? 'employee.created' : 'employee.updated';
  const changedFields = input.action === 'terminate' ? ['status', 'employmentHistoryStatus']
    : input.action === 'change' ? [...new Set((input.changed ?? []).map((field) => BAMBOO_ALIASES[field]).filter(Boolean))] : [];
  return { type, timestamp: at.toISOString().replace(/\.\d+Z$/, '+0000'), data: { companyId: '98765', employeeId: input.person.id, changedFields } };
}

function personioBody(input: WebhookInput, at: Date): object {
  const id = input.person.id;
  const employment = { id: `emp-${id}`, person_id: id };
  const occurred_at = at.toISOString().replace(/\.\d+Z$/, 'Z');
  if (input.action === 'hire') return { company_id: '41234', event_name: 'person.created', occurred_at, payload: { id } };
  if (input.action === 'terminate') return { company_id: '41234', event_name: 'employment.terminated', occurred_at, payload: employment };
  const personFields: PersonField[] = ['email', 'firstName', 'lastName', 'gatehouseRole'];
  const onPerson = (input.changed ?? []).every((field) => personFields.includes(field));
  return onPerson
    ? { company_id: '41234', event_name: 'person.updated', occurred_at, payload: { id }, meta: { delivery: randomUUID() } }
    : { company_id: '41234', event_name: 'employment.updated', occurred_at, payload: employment, meta: { delivery: randomUUID() } };
}

/** The signed delivery for one HR action. */
export function vendorWebhook(input: WebhookInput): WebhookDelivery {
  const at = input.now ?? new Date();
  const seconds = Math.floor(at.getTime() / 1000);
  if (input.vendor === 'hibob') {
    const body = Buffer.from(JSON.stringify(hibobBody(input, at)));
    return { source: 'hibob', body, headers: signHiBob(body, input.secret) };
  }
  if (input.vendor === 'bamboohr') {
    const body = Buffer.from(JSON.stringify(bamboohrBody(input, at)));
    return { source: 'bamboohr', body, headers: signBambooHr(body, input.secret, seconds) };
  }
  const body = Buffer.from(JSON.stringify(personioBody(input, at)));
  return { source: 'personio', body, headers: signPersonio(input.secret) };
}

/** POSTs a delivery to `<frontDoor>/hris/<source>` like the vendor does; returns the status and body text. */
export async function deliver(frontDoorUrl: string, delivery: WebhookDelivery): Promise<{ status: number; body: string }> {
  const response = await fetch(`${frontDoorUrl}/hris/${delivery.source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...delivery.headers },
    body: delivery.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}
