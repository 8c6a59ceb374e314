import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeIssues } from '../../domain/shared/validation.ts';
import type { Catalogue } from '../../domain/catalogue/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../domain/shared/errors.ts';
import { requestIdSchema } from '../../domain/grants/grants.ts';
import { requireEmail, type Caller } from '../caller.ts';
import { decide } from '../../domain/policy/policy.ts';
import { revokeExecutionName, type AccessWorkflows } from '../../adapters/aws/sfn-time-bound.ts';
import { asEmployee, type EmployeeLookup, type EmployeeRecord } from '../../domain/time-bound/employee.ts';
import { statusOf, type TimeBoundRequests, type TimeBoundRequestView } from '../../domain/time-bound/ports.ts';
import { withdrawRequest, type WithdrawDeps } from '../../domain/time-bound/withdraw.ts';
import { requestableEntitlements } from '../../domain/time-bound/prepare-time-bound.ts';
import { accessRequestBodySchema, grantRequestSchema, idempotencyKeySchema, MAX_BODY_BYTES, type GrantRequest } from '../../domain/time-bound/schemas.ts';
import { extendBodySchema, extendRequestSchema, type ExtendRequest } from '../../domain/time-bound/schemas.ts';
import { checkMayExtend, decideExtension, planExtension } from '../../domain/time-bound/extension.ts';
import { findEntitlement } from '../../domain/catalogue/resolve.ts';

/**
 * POST /access-requests, GET /access-requests/{id}, POST /access-requests/{id}/revoke,
 * POST /access-requests/{id}/extend (an extension, `ex-...`, is read with GET too). The
 * caller is who the JWT authorizer vouched for (callerOf); nothing in the body says who asks.
 * Every refusal happens before anything starts. The request id is derived, never random:
 * from the caller and the `Idempotency-Key` header, or, without one, from the caller, the
 * body and the current UTC minute; so a replay reaches the same execution and starts nothing.
 */

export interface AccessRequestsDeps {
  catalogue: Catalogue;
  employees: Pick<EmployeeLookup, 'byEmail' | 'get'>;
  requests: Pick<TimeBoundRequests, 'get' | 'getExtension'>;
  workflows: AccessWorkflows;
  /** Withdraw: the open approval (cancelled as withdrawn) and its waiting task (failed). */
  withdraw: WithdrawDeps;
  operatorGroup: string;
  now: () => Date;
}

export interface Answer {
  statusCode: number;
  body: Record<string, unknown>;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function parseBody(raw: Buffer): unknown {
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(`body exceeds ${MAX_BODY_BYTES} bytes`);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new ValidationError('body: not valid JSON', { cause: error });
  }
}

async function activeRequester(deps: AccessRequestsDeps, caller: Caller): Promise<EmployeeRecord> {
  const email = requireEmail(caller);
  const requester = await deps.employees.byEmail(email);
  if (requester?.status !== 'active') throw new ForbiddenError('caller is not an active employee');
  return requester;
}

export async function submitAccessRequest(deps: AccessRequestsDeps, caller: Caller, raw: Buffer, idempotencyKey: string | undefined): Promise<Answer> {
  const json = parseBody(raw);
  const parsed = accessRequestBodySchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`invalid access request: ${describeIssues(parsed.error)}`);
  const key = idempotencyKey === undefined ? undefined : idempotencyKeySchema.safeParse(idempotencyKey);
  if (key && !key.success) throw new ValidationError(`header ${describeIssues(key.error)}`);
  const body = parsed.data;
  const requester = await activeRequester(deps, caller);
  const subject = body.employeeId === undefined || body.employeeId === requester.employeeId ? requester : await deps.employees.get(body.employeeId);
  if (!subject) throw new NotFoundError(`employeeId: no employee ${body.employeeId ?? ''}`);
  if (subject.status !== 'active') throw new ConflictError(`employeeId: employee ${subject.employeeId} has left; nothing can be granted`);

  const entitlementIds = body.entitlementIds ?? [body.entitlementId ?? ''];
  const unknown = entitlementIds.filter((id) => !deps.catalogue.entitlements.some((entitlement) => entitlement.id === id));
  if (unknown.length > 0) throw new ValidationError(`entitlementIds: unknown entitlement ${unknown.join(', ')}`);
  const entitlements = requestableEntitlements(deps.catalogue, entitlementIds);
  const requesterRef = { employeeId: requester.employeeId, email: requester.email.toLowerCase() };
  // The same checks the workflow repeats: not requestable (403), too long (400), no approver (422).
  const breakGlass = body.breakGlass ? { breakGlass: true as const } : {};
  decide({ kind: 'time-bound', subject: asEmployee(subject, undefined), entitlements, requester: requesterRef, duration: body.duration, ...breakGlass });

  const canonical = JSON.stringify({ employeeId: subject.employeeId, entitlementIds, duration: body.duration, justification: body.justification, ...breakGlass });
  const fingerprint = sha256(`${caller.subject}\n${canonical}`);
  const seed = key?.success ? `key\n${caller.subject}\n${key.data}` : `auto\n${fingerprint}\n${deps.now().toISOString().slice(0, 16)}`;
  const requestId = `ar-${sha256(seed).slice(0, 32)}`;
  const input: GrantRequest = {
    action: 'grant',
    requestId,
    employeeId: subject.employeeId,
    requester: requesterRef,
    entitlementIds,
    duration: body.duration,
    justification: body.justification,
    ...breakGlass,
    fingerprint,
  };
  if ((await deps.workflows.start(requestId, input)) === 'exists') {
    const first = grantRequestSchema.safeParse(await deps.workflows.inputOf(requestId));
    if (!first.success || first.data.fingerprint !== fingerprint) {
      throw new ConflictError('Idempotency-Key: already used for a different request; use a new key');
    }
  }
  return { statusCode: 202, body: { requestId, status: 'submitted' } };
}

interface Visible {
  /** The stored request; absent while the execution has not written it yet (`submitted`). */
  view?: TimeBoundRequestView;
  requestId: string;
  employeeId: string;
  requesterEmail: string;
  status: string;
  body: Record<string, unknown>;
}

async function findVisible(deps: AccessRequestsDeps, caller: Caller, id: string): Promise<Visible | undefined> {
  if (!requestIdSchema.safeParse(id).success) return undefined;
  const view = await deps.requests.get(id);
  let found: Visible | undefined;
  if (view) {
    const body = {
      requestId: view.requestId,
      status: statusOf(view),
      employeeId: view.employeeId,
      entitlementIds: view.entitlements.map((entitlement) => entitlement.id),
      ...(view.duration !== undefined ? { duration: view.duration } : {}),
      ...(view.requester ? { requestedBy: view.requester.employeeId } : {}),
      createdAt: view.createdAt,
      ...(view.grantedAt ? { grantedAt: view.grantedAt } : {}),
      ...(view.expiresAt ? { expiresAt: view.expiresAt } : {}),
      ...(view.endedAt ? { endedAt: view.endedAt, endReason: view.endReason } : {}),
    };
    found = { view, requestId: view.requestId, employeeId: view.employeeId, requesterEmail: view.requester?.email ?? '', status: body.status, body };
  } else if (id.startsWith('ex-')) {
    found = await extensionView(deps, id);
    if (!found) return undefined;
  } else {
    const started = grantRequestSchema.safeParse(await deps.workflows.inputOf(id));
    if (!started.success) return undefined;
    const { requestId, employeeId, requester, entitlementIds, duration } = started.data;
    const body = { requestId, status: 'submitted', employeeId, entitlementIds, duration, requestedBy: requester.employeeId };
    found = { requestId, employeeId, requesterEmail: requester.email, status: 'submitted', body };
  }
  if (caller.groups.includes(deps.operatorGroup)) return found;
  if (caller.email && caller.email === found.requesterEmail.toLowerCase()) return found;
  const self = caller.email ? await deps.employees.byEmail(caller.email) : undefined;
  return self?.employeeId === found.employeeId ? found : undefined;
}

export async function getAccessRequest(deps: AccessRequestsDeps, caller: Caller, id: string): Promise<Answer> {
  const found = await findVisible(deps, caller, id);
  if (!found) throw new NotFoundError(`no access request ${id} that you may see`);
  return { statusCode: 200, body: found.body };
}

/** The optional body of POST /access-requests/{id}/revoke and /withdraw: why, in the caller's words (audited, told to whom it concerns). */
const reasonBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

function reasonOf(raw: Buffer | undefined, action: 'revoke' | 'withdraw'): string | undefined {
  if (!raw || raw.byteLength === 0) return undefined;
  const parsed = reasonBodySchema.safeParse(parseBody(raw));
  if (!parsed.success) throw new ValidationError(`invalid ${action} body: ${describeIssues(parsed.error)}`);
  return parsed.data.reason;
}

export async function revokeAccessRequest(deps: AccessRequestsDeps, caller: Caller, id: string, raw?: Buffer): Promise<Answer> {
  const email = requireEmail(caller);
  const note = reasonOf(raw, 'revoke');
  const found = await findVisible(deps, caller, id);
  // The same answer as GET for a request the caller may not see: a 403 would tell the id exists (issue #11).
  if (!found) throw new NotFoundError(`no access request ${id} that you may see`);
  if (found.status === 'ended') return { statusCode: 200, body: { requestId: id, status: 'ended' } };
  if (found.status !== 'granted') throw new ConflictError(`request ${id} is ${found.status}; only a granted request can be revoked`);
  const own = email === found.requesterEmail.toLowerCase() || (await deps.employees.byEmail(email))?.employeeId === found.employeeId;
  const revokedAs = own ? 'employee' : 'operator';
  await deps.workflows.start(revokeExecutionName(id), { action: 'revoke', requestId: id, employeeId: found.employeeId, reason: 'revoked', revokedBy: email, revokedAs, ...(note ? { note } : {}) });
  return { statusCode: 202, body: { requestId: id, status: 'revoking' } };
}

/** How GET shows an extension (`ex-...`): what it extends, the ends, and how it went. */
async function extensionView(deps: AccessRequestsDeps, id: string): Promise<Visible | undefined> {
  const view = await deps.requests.getExtension(id);
  if (view?.extension) {
    const { extension } = view;
    const status = view.status ?? (view.decision.decision === 'needs-approval' ? 'pending-approval' : 'approved');
    const body = {
      requestId: view.requestId,
      kind: 'extension',
      extends: extension.grantRequestId,
      status,
      employeeId: view.employeeId,
      by: extension.by,
      currentEnd: extension.currentEnd,
      newEnd: extension.newEnd,
      ...(view.requester ? { requestedBy: view.requester.employeeId } : {}),
      createdAt: view.createdAt,
      ...(view.finishedAt ? { finishedAt: view.finishedAt } : {}),
      ...(view.outcomeError ? { error: view.outcomeError } : {}),
    };
    return { requestId: view.requestId, employeeId: view.employeeId, requesterEmail: view.requester?.email ?? '', status, body };
  }
  const started = extendRequestSchema.safeParse(await deps.workflows.inputOf(id));
  if (!started.success) return undefined;
  const { requestId, employeeId, requester, grantRequestId, by } = started.data;
  const body = { requestId, kind: 'extension', extends: grantRequestId, status: 'submitted', employeeId, by, requestedBy: requester.employeeId };
  return { requestId, employeeId, requesterEmail: requester.email, status: 'submitted', body };
}

/**
 * POST /access-requests/{id}/extend `{"by": "PT2H", "reason": "..."}` (issue #17): the holder or their
 * manager asks to move the end of a granted request. The same checks as a new request before
 * anything starts (the total within the maximum 400, no approver 422, not granted or ended 409); the
 * extension gets its own id (`ex-`, derived like a request's, so a replay starts nothing) and runs the
 * time-bound machine with `action: 'extend'`.
 */
export async function extendAccessRequest(deps: AccessRequestsDeps, caller: Caller, id: string, raw: Buffer, idempotencyKey: string | undefined): Promise<Answer> {
  const parsed = extendBodySchema.safeParse(parseBody(raw));
  if (!parsed.success) throw new ValidationError(`invalid extension: ${describeIssues(parsed.error)}`);
  const key = idempotencyKey === undefined ? undefined : idempotencyKeySchema.safeParse(idempotencyKey);
  if (key && !key.success) throw new ValidationError(`header ${describeIssues(key.error)}`);
  const requester = await activeRequester(deps, caller);
  const grant = requestIdSchema.safeParse(id).success ? await deps.requests.get(id) : undefined;
  const subject = grant ? await deps.employees.get(grant.employeeId) : undefined;
  if (!grant || !subject) throw new NotFoundError(`no access request ${id} that you may see`);
  try {
    checkMayExtend(requester, subject);
  } catch (error) {
    // Someone who may not even see the request is told it does not exist (a 403 would tell the id exists).
    if (!(await findVisible(deps, caller, id))) throw new NotFoundError(`no access request ${id} that you may see`, { cause: error });
    throw error;
  }
  if (subject.status !== 'active') throw new ConflictError(`employeeId: employee ${subject.employeeId} has left; nothing can be extended`);
  const { by, reason } = parsed.data;
  const plan = planExtension(grant, by, deps.now());
  const requesterRef = { employeeId: requester.employeeId, email: requester.email.toLowerCase() };
  const entitlements = grant.entitlements.map((entitlement) => findEntitlement(deps.catalogue, entitlement.id));
  decideExtension({ subject: asEmployee(subject, undefined), entitlements, requester: requesterRef, plan, by });

  const fingerprint = sha256(`${caller.subject}\n${JSON.stringify({ extends: id, by, reason })}`);
  const seed = key?.success ? `extend-key\n${caller.subject}\n${key.data}` : `extend-auto\n${fingerprint}\n${deps.now().toISOString().slice(0, 16)}`;
  const requestId = `ex-${sha256(seed).slice(0, 32)}`;
  const input: ExtendRequest = { action: 'extend', requestId, grantRequestId: id, employeeId: subject.employeeId, requester: requesterRef, by, justification: reason, fingerprint };
  if ((await deps.workflows.start(requestId, input)) === 'exists') {
    const first = extendRequestSchema.safeParse(await deps.workflows.inputOf(requestId));
    if (!first.success || first.data.fingerprint !== fingerprint) throw new ConflictError('Idempotency-Key: already used for a different request; use a new key');
  }
  return { statusCode: 202, body: { requestId, extends: id, status: 'submitted', currentEnd: plan.currentEnd, newEnd: plan.newEnd } };
}

/**
 * POST /access-requests/{id}/withdraw: the requester, or an operator, takes back a request still
 * waiting for approval (domain/time-bound/withdraw.ts). Anyone else who may see it (the person it
 * is for) is refused with 403; anyone who may not gets the same 404 as GET. A replay answers the same.
 */
export async function withdrawAccessRequest(deps: AccessRequestsDeps, caller: Caller, id: string, raw?: Buffer): Promise<Answer> {
  const email = requireEmail(caller);
  const reason = reasonOf(raw, 'withdraw');
  const found = await findVisible(deps, caller, id);
  if (!found) throw new NotFoundError(`no access request ${id} that you may see`);
  const who = { email, isRequester: email === found.requesterEmail.toLowerCase(), isOperator: caller.groups.includes(deps.operatorGroup) };
  if (!found.view) {
    if (!who.isRequester && !who.isOperator) throw new ForbiddenError(`only the person who asked for request ${id}, or an operator, may withdraw it`);
    throw new ConflictError(`request ${id} is still being prepared; try again in a few seconds`);
  }
  const withdrawn = await withdrawRequest(deps.withdraw, who, found.view, reason);
  return { statusCode: 202, body: { ...withdrawn } };
}
