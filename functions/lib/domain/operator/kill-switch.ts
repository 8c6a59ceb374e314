import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../shared/errors.ts';
import { employeeIdSchema, type EmployeeLeft } from '../events/employee-events.ts';
import { describeIssues } from '../../runtime/task-handler.ts';

/**
 * The operator kill switch (POST /operator/leavers, `npm run gatehouse -- leave`): an operator
 * ends someone's access now, without the HRIS. It starts the leaver workflow directly with an
 * employee.left event of source `operator` that names the operator and the reason (Prepare
 * Leave writes both into the audit's request.received). The execution name is
 * `operator-<Idempotency-Key>`, so a retried call starts nothing new and answers the same.
 */

/** Requests are a few hundred bytes; anything far larger is refused before parsing. */
export const MAX_BODY_BYTES = 4096;
export const EXECUTION_PREFIX = 'operator-';

/** Why the operator pulls the switch: it lands verbatim in the audit trail. */
export const killSwitchReasonSchema = z
  .string()
  .regex(/^[^\p{Cc}]*$/u, 'reason must not contain control characters')
  .refine((reason) => reason.trim().length >= 5, 'reason must be at least 5 characters')
  .refine((reason) => reason.length <= 500, 'reason must be at most 500 characters');

export const killSwitchBodySchema = z.strictObject({ employeeId: employeeIdSchema, reason: killSwitchReasonSchema });
export type KillSwitchBody = z.infer<typeof killSwitchBodySchema>;

/** A client-chosen key (a UUID fits); `operator-` + key stays a valid delivery id (<= 64). */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,55}$/, 'Idempotency-Key must be 8-55 of A-Z a-z 0-9 _ -');

export interface EmployeeStatus {
  status: string;
  leftAt?: string;
  /** The leaver execution that marked them left. */
  leftBy?: string;
}

export interface LeaverWorkflow {
  /** `exists` when an execution of that name was started before. */
  start(executionName: string, event: EmployeeLeft): Promise<'started' | 'exists'>;
  /** The execution's status and the employee its input names; undefined when there is none. */
  describe(executionName: string): Promise<{ status: string; employeeId?: string } | undefined>;
}

export interface KillSwitchDeps {
  employees: { statusOf(employeeId: string): Promise<EmployeeStatus | undefined> };
  workflow: LeaverWorkflow;
  clock: Clock;
  newKey?: () => string;
}

export interface KillSwitchRequest {
  /** Audit actor id: the caller's e-mail, or their subject. */
  operatorId: string;
  rawBody: Buffer;
  idempotencyKey: string | undefined;
}

export interface KillSwitchResult {
  executionName: string;
  status: string;
  /** True when this key had started the execution before (nothing new was started). */
  replayed: boolean;
}

export function parseKillSwitchBody(rawBody: Buffer): KillSwitchBody {
  if (rawBody.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(`body: at most ${MAX_BODY_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new ValidationError('body: must be a JSON object {"employeeId", "reason"}', { cause: error });
  }
  const parsed = killSwitchBodySchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`invalid body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function executionNameFor(key: string | undefined, newKey: () => string): string {
  if (key === undefined) return `${EXECUTION_PREFIX}${newKey()}`;
  const parsed = idempotencyKeySchema.safeParse(key);
  if (!parsed.success) throw new ValidationError(describeIssues(parsed.error).replace(/^\(root\): /, ''));
  return `${EXECUTION_PREFIX}${parsed.data}`;
}

async function replay(deps: KillSwitchDeps, executionName: string, employeeId: string): Promise<KillSwitchResult> {
  const existing = await deps.workflow.describe(executionName);
  if (!existing) throw new ConflictError(`leaver execution ${executionName} is not visible yet; retry with the same Idempotency-Key`);
  if (existing.employeeId !== employeeId) throw new ConflictError('Idempotency-Key was already used for another employee; use a new key');
  return { executionName, status: existing.status, replayed: true };
}

export async function killSwitch(deps: KillSwitchDeps, request: KillSwitchRequest): Promise<KillSwitchResult> {
  const executionName = executionNameFor(request.idempotencyKey, deps.newKey ?? randomUUID);
  const body = parseKillSwitchBody(request.rawBody);
  const employee = await deps.employees.statusOf(body.employeeId);
  if (!employee) throw new NotFoundError(`employeeId: Gatehouse knows no employee ${body.employeeId}`);
  if (employee.status === 'left') {
    if (employee.leftBy === executionName) return replay(deps, executionName, body.employeeId);
    const when = employee.leftAt ? ` at ${employee.leftAt}` : '';
    const by = employee.leftBy ? ` (leaver execution ${employee.leftBy})` : '';
    throw new ConflictError(`employee ${body.employeeId} already left${when}${by}; their access was removed then, nothing was started`);
  }
  const now = deps.clock.now().toISOString();
  const event: EmployeeLeft = {
    type: 'employee.left',
    deliveryId: executionName,
    source: 'operator',
    occurredAt: now,
    employeeId: body.employeeId,
    effectiveAt: now,
    immediate: true,
    operator: { id: request.operatorId, reason: body.reason },
  };
  if ((await deps.workflow.start(executionName, event)) === 'exists') return replay(deps, executionName, body.employeeId);
  return { executionName, status: 'RUNNING', replayed: false };
}
