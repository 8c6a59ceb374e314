import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { roleCatalogue } from '#lib/runtime/catalogue';
import type { Catalogue } from '#lib/domain/catalogue/schema';
import { ConflictError, ValidationError } from '#lib/domain/shared/errors';
import { prepareRequest, type PrepareRequestDeps } from '#lib/domain/joiner/prepare-join';
import { prepareJoinInputSchema, type PreparedRequest } from '#lib/tasks/prepare-join';
import { MissingApproverError } from '#lib/domain/policy/errors';
import { NoRoleAssignedError } from '#lib/domain/catalogue/assign-employee';
import { NO_ROLE } from '#lib/domain/catalogue/assignments';
import { requestRecordSchema } from '#lib/domain/requests/request-record';
import { parseOrThrow } from '#lib/runtime/task-handler';
import { pastStartNote } from '#lib/domain/shared/dates';
import { EXECUTION_ID, EXECUTION_NAME, FakeClock, MemoryAudit, MemoryEmployees, MemoryRequests, asJson, executionIds, hireEvent } from './fakes.ts';

const VERSION = 'cat-0123456789abcdef';

function setup(options: { catalogue?: Catalogue; now?: string; leadHours?: number } = {}) {
  const clock = new FakeClock(new Date(options.now ?? '2026-03-02T08:00:00.000Z'));
  const audit = new MemoryAudit(clock);
  const requests = new MemoryRequests();
  const employees = new MemoryEmployees();
  const deps: PrepareRequestDeps = {
    catalogue: options.catalogue ?? roleCatalogue,
    catalogueVersion: VERSION,
    requests,
    employees,
    audit,
    clock,
    settings: { provisionLeadHours: options.leadHours ?? 24, approvalTimeoutSeconds: 259_200 },
  };
  return { deps, clock, audit, requests, employees };
}

/** A hire that applies (these tests' employees directory never answers stale). */
async function run(deps: PrepareRequestDeps, event = hireEvent()): Promise<PreparedRequest> {
  const result = await prepareRequest(deps, { event, ...executionIds });
  if ('ignored' in result) throw new Error(`unexpected ignored hire: ${result.ignored.detail}`);
  return result;
}

describe('prepareRequest: decision and optional keys', () => {
  it('auto-approves a low-risk role and omits workstation and endAt', async () => {
    const { deps, audit } = setup();

    const request = await run(deps);

    expect(request).toEqual({
      requestId: EXECUTION_NAME,
      employeeId: 'E-1001',
      employee: hireEvent().employee,
      entitlements: [expect.objectContaining({ id: 'group:AllStaff' }), expect.objectContaining({ id: 'group:Sales' })],
      decision: { decision: 'auto-approved', reason: expect.stringContaining('low risk') as string },
      approvalTimeoutSeconds: 259_200,
      provisionAt: '2026-03-08T00:00:00Z',
      generation: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      accountTargets: [],
      catalogueVersion: VERSION,
    });
    expect(Object.keys(asJson(request) as object)).not.toContain('workstation');
    expect(Object.keys(asJson(request) as object)).not.toContain('endAt');
    expect(audit.kinds('E-1001')).toEqual(['request.received', 'policy.decided']);
    expect(audit.entries[0]).toMatchObject({ actor: 'hris:bamboohr', detail: { requestType: 'joiner', deliveryId: 'dlv-0001', role: 'sales' } });
    expect(audit.entries[1]).toMatchObject({ actor: 'system:policy', detail: { outcome: 'auto-approved', risk: 'low' } });
  });

  it('asks the manager, then the owner group, for a high-risk role; passes the workstation and the contract end', async () => {
    const { deps, audit } = setup();
    const event = hireEvent({ role: 'data-scientist', employmentType: 'contractor', endDate: '2026-09-30' });

    const request = await run(deps, event);

    expect(request.decision).toMatchObject({
      decision: 'needs-approval',
      chain: [
        { kind: 'manager', email: 'pat.manager@example.com', employeeId: 'E-0042', entitlementIds: [] },
        { kind: 'entitlement-owner', entitlementIds: ['workstation:gpu'] },
      ],
    });
    expect(request.workstation).toMatchObject({ id: 'workstation:gpu', kind: 'workstation', profile: 'gpu' });
    expect(request.endAt).toBe('2026-09-30T23:59:59Z');
    expect(audit.entries[0]?.detail).toMatchObject({ endsAt: '2026-09-30T23:59:59Z', effectiveAt: '2026-03-09T00:00:00Z' });
    expect(audit.entries[1]).toMatchObject({
      kind: 'policy.decided',
      detail: { outcome: 'approval-required', risk: 'high', approverIds: ['pat.manager@example.com', expect.any(String)] },
    });
  });

  it('writes the request record the approval page reads, without resolution details', async () => {
    const { deps, requests, employees } = setup();

    await run(deps, hireEvent({ role: 'data-scientist' }));

    const record = requests.items.get(EXECUTION_NAME);
    expect(requestRecordSchema.safeParse(record).success).toBe(true);
    expect(record).toMatchObject({
      kind: 'joiner',
      employeeId: 'E-1001',
      employeeDisplayName: 'Alex Newstarter',
      role: 'data-scientist',
      roleDisplayName: 'Data scientist',
      executionId: EXECUTION_ID,
      createdAt: '2026-03-02T08:00:00.000Z',
    });
    expect(record?.entitlements.every((entitlement) => !('via' in entitlement))).toBe(true);
    expect(employees.upserts).toEqual([
      expect.objectContaining({ source: 'bamboohr', requestId: EXECUTION_NAME, employee: expect.objectContaining({ role: 'data-scientist' }) }),
    ]);
  });
});

describe('prepareRequest: provisionAt', () => {
  it.each([
    ['weeks ahead: lead hours before the start day', '2026-03-02T08:00:00.000Z', '2026-03-20', 24, '2026-03-19T00:00:00Z'],
    ['inside the lead time: now', '2026-03-19T13:45:10.999Z', '2026-03-20', 24, '2026-03-19T13:45:10Z'],
    ['started already: now', '2026-04-01T10:00:00.000Z', '2026-03-20', 24, '2026-04-01T10:00:00Z'],
    ['no lead time: the start of the day', '2026-03-02T08:00:00.000Z', '2026-03-20', 0, '2026-03-20T00:00:00Z'],
    ['across a month end', '2026-02-01T00:00:00.000Z', '2026-03-01', 48, '2026-02-27T00:00:00Z'],
  ])('%s', async (_case, now, startDate, leadHours, expected) => {
    const { deps } = setup({ now, leadHours });

    const request = await run(deps, hireEvent({ startDate }));

    expect(request.provisionAt).toBe(expected);
  });

  it('reads the start date as a UTC day, whatever offset the HRIS sent its timestamp in', async () => {
    const east = setup({ now: '2026-03-01T00:00:00.000Z' });
    const west = setup({ now: '2026-03-01T00:00:00.000Z' });

    const a = await run(east.deps, hireEvent({}, { occurredAt: '2026-02-28T23:15:00+14:00' }));
    const b = await run(west.deps, hireEvent({}, { occurredAt: '2026-02-28T12:00:00-11:00' }));

    expect(a.provisionAt).toBe('2026-03-08T00:00:00Z');
    expect(b.provisionAt).toBe(a.provisionAt);
  });
});

describe('prepareRequest: a start date in the past', () => {
  it('provisions now, warns, and notes it on request.received', async () => {
    const { deps, audit } = setup({ now: '2026-12-03T10:00:00.000Z' });

    const request = await run(deps, hireEvent({ startDate: '2026-03-09' }));

    const note = 'E-1001: start date 2026-03-09 is 269 days in the past; access is provisioned now';
    expect(request).toMatchObject({ provisionAt: '2026-12-03T10:00:00Z', warnings: [note] });
    expect(audit.entries[0]).toMatchObject({ kind: 'request.received', detail: { notes: [note] } });
  });

  it.each([
    ['today', '2026-12-03'],
    ['in the future', '2026-12-20'],
  ])('says nothing for a start date %s', async (_case, startDate) => {
    const { deps, audit } = setup({ now: '2026-12-03T23:59:59.000Z' });

    const request = await run(deps, hireEvent({ startDate }));

    expect(request).not.toHaveProperty('warnings');
    expect(audit.entries[0]?.detail).not.toHaveProperty('notes');
  });

  it('counts one day for yesterday', () => {
    expect(pastStartNote('E-1', '2026-12-02', new Date('2026-12-03T00:00:01Z'))).toBe('E-1: start date 2026-12-02 is 1 day in the past; access is provisioned now');
  });
});

describe('prepareRequest: idempotency', () => {
  it('a retry of the same execution writes nothing new and returns the same result', async () => {
    const { deps, clock, audit, requests } = setup();
    const event = hireEvent({ role: 'data-scientist', endDate: '2026-09-30', employmentType: 'contractor' });

    const first = await run(deps, event);
    clock.set('2026-03-03T09:00:00.000Z');
    const second = await run(deps, event);

    expect(second).toEqual(first);
    expect(requests.puts).toBe(1);
    expect(audit.entries).toHaveLength(2);
    expect(verifyChain(audit.entries)).toEqual({ ok: true });
  });

  it('refuses a request id that another execution owns', async () => {
    const { deps } = setup();
    await run(deps);

    await expect(prepareRequest(deps, { event: hireEvent(), executionName: EXECUTION_NAME, executionId: `${EXECUTION_ID}-other` })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('prepareRequest: rejections', () => {
  it('names the bad field of an invalid event', () => {
    const bad = { event: { ...hireEvent(), employee: { ...hireEvent().employee, email: 'not-an-email' } }, ...executionIds };

    expect(() => parseOrThrow(prepareJoinInputSchema, bad, 'task input')).toThrow(/event\.employee\.email/);
    expect(() => parseOrThrow(prepareJoinInputSchema, bad, 'task input')).toThrow(ValidationError);
  });

  it('propagates an unknown role as a ValidationError, writing no record', async () => {
    const { deps, requests, audit } = setup();

    await expect(run(deps, hireEvent({ role: 'astronaut' }))).rejects.toThrow(/unknown role 'astronaut'/);
    expect(requests.items.size).toBe(0);
    expect(audit.kinds('E-1001')).toEqual(['request.received']);
  });

  it('propagates MissingApproverError when a high-risk hire has no manager', async () => {
    const { deps, requests } = setup();

    await expect(run(deps, hireEvent({ role: 'finance-admin', managerEmail: undefined, managerId: undefined }))).rejects.toBeInstanceOf(
      MissingApproverError,
    );
    expect(requests.items.size).toBe(0);
  });

  it('rejects an end date before the start date', async () => {
    const { deps } = setup();

    await expect(run(deps, hireEvent({ startDate: '2026-03-09', endDate: '2026-03-01' }))).rejects.toThrow(/event\.employee\.endDate/);
  });

  it('rejects a role that would launch two workstations', async () => {
    const json = structuredClone(roleCatalogue);
    json.roles.push({ id: 'twin', displayName: 'Twin', entitlements: ['workstation:dev-arm', 'workstation:gpu'] });
    const { deps } = setup({ catalogue: parseCatalogue(json) });

    await expect(run(deps, hireEvent({ role: 'twin' }))).rejects.toThrow(/2 workstations/);
  });
});

describe('prepareRequest: the no-role outcome (no HRIS role, no rule)', () => {
  const unassigned = (outcome: 'birthright-only' | 'refused') =>
    hireEvent({ role: NO_ROLE, assignment: { source: 'unassigned', outcome, catalogueVersion: VERSION } });

  it('birthright-only: hires with the birthright alone, auto-approved, the audit saying no rule chose a role', async () => {
    const { deps, audit, requests } = setup();

    const request = await run(deps, unassigned('birthright-only'));

    expect(request.entitlements.map((entitlement) => entitlement.id)).toEqual(roleCatalogue.birthright);
    expect(request.decision.decision).toBe('auto-approved');
    expect(requests.items.get(EXECUTION_NAME)).toMatchObject({ role: NO_ROLE, roleDisplayName: 'No role (birthright only)', catalogueVersion: VERSION });
    expect(audit.entries[0]).toMatchObject({ kind: 'request.received', detail: { role: NO_ROLE, roleSource: 'unassigned', unassigned: 'birthright-only', catalogueVersion: VERSION } });
  });

  it('refused: throws NoRoleAssignedError after request.received, writing no request and no employee', async () => {
    const { deps, audit, requests, employees } = setup();

    await expect(run(deps, unassigned('refused'))).rejects.toBeInstanceOf(NoRoleAssignedError);
    expect(requests.items.size).toBe(0);
    expect(employees.upserts).toEqual([]);
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ kind: 'request.received', detail: { unassigned: 'refused' } });
  });
});

describe('prepareRequest: a hire that is not newer than the person record (issue #11)', () => {
  it('ends ignored: stale with a request.ignored audit entry and writes no request record', async () => {
    const { deps, audit, requests } = setup();
    deps.employees = { upsertHire: () => Promise.resolve({ stale: 'left-after', appliedAt: '2026-03-05T09:00:00.000Z' }) };
    const event = hireEvent();

    const result = await prepareRequest(deps, { event, ...executionIds });

    expect(result).toEqual({ requestId: EXECUTION_NAME, employeeId: 'E-1001', ignored: { status: 'ignored', why: 'stale', detail: 'left-after' } });
    expect(requests.items.size).toBe(0);
    expect(audit.kinds('E-1001')).toEqual(['request.received', 'request.ignored']);
    expect(audit.entries[1]).toMatchObject({
      actor: 'hris:bamboohr',
      reason: expect.stringContaining('ignored (stale)') as string,
      detail: { requestType: 'joiner', deliveryId: 'dlv-0001', why: 'left-after', appliedAt: '2026-03-05T09:00:00.000Z' },
    });
    expect(verifyChain(audit.entries)).toMatchObject({ ok: true });
  });
});

describe('prepareRequest acts on the merged record (issue #11, per-fact merge)', () => {
  it('a change delivered before its hire keeps its newer role: the hire provisions the change, not its own older role', async () => {
    const { deps, employees, requests } = setup();
    employees.change(hireEvent({ role: 'engineer', managerEmail: 'new.manager@example.com' }).employee, '2026-02-25T09:00:00.000Z');

    const request = await run(deps, hireEvent({ role: 'sales' }));

    expect(request.employee).toMatchObject({ role: 'engineer', managerEmail: 'new.manager@example.com', startDate: '2026-03-09' });
    expect(request.entitlements.map((entitlement) => entitlement.id)).toContain('group:Engineering');
    expect(request.entitlements.map((entitlement) => entitlement.id)).not.toContain('group:Sales');
    expect(requests.items.get(EXECUTION_NAME)).toMatchObject({ role: 'engineer' });
  });

  it('a hire older than a change already merged still sets the status; a copy of it under another delivery id is stale, its retry is not', async () => {
    const { deps, employees } = setup();
    employees.change(hireEvent({ role: 'engineer' }).employee, '2026-02-25T09:00:00.000Z');
    await run(deps);

    const copy = await prepareRequest(deps, { event: hireEvent({}, { deliveryId: 'dlv-0002' }), executionId: `${EXECUTION_ID}-2`, executionName: 'dlv-0002' });
    const retry = await run(deps);

    expect(copy).toMatchObject({ ignored: { detail: 'newer-applied' } });
    expect(retry.employee.role).toBe('engineer');
  });
});
