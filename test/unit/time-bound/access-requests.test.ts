import { describe, expect, it } from 'vitest';
import type { TimeBoundRequestView } from '#lib/domain/time-bound/ports';
import { apiEvent, employee, fakeDeps, http } from './fakes.ts';

/** POST /access-requests through the deployed error mapping: every refusal names the field and starts nothing. */

const ENG = employee('E-ENG', 'engineer');
const SALES = employee('E-SALES', 'sales', { managerEmail: 'sam.boss@example.com' });
const GONE = employee('E-GONE', 'sales', { status: 'left' });
const PEOPLE = [ENG, SALES, GONE];
const engCaller = { sub: 'idp|eng', email: 'E-ENG@example.com', groups: [] };
const POST = 'POST /access-requests';
const body = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ entitlementId: 'group:ProdReadOnly', duration: 'PT1H', justification: 'investigating incident INC-42', ...fields });

function submit(fields?: Record<string, unknown>, headers: Record<string, string> = {}) {
  return apiEvent(POST, { claims: engCaller, body: body(fields), headers });
}

describe('POST /access-requests', () => {
  it('answers 202 with a derived request id and starts one time-bound execution named after it', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);

    const res = await http(deps)(submit({}, { 'idempotency-key': 'key-0001' }));

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ requestId: expect.stringMatching(/^ar-[0-9a-f]{32}$/) as string, status: 'submitted' });
    const input = workflows.executions.get(res.body.requestId as string);
    expect(input).toMatchObject({
      action: 'grant',
      employeeId: 'E-ENG',
      requester: { employeeId: 'E-ENG', email: 'e-eng@example.com' },
      entitlementIds: ['group:ProdReadOnly'],
      duration: 'PT1H',
      justification: 'investigating incident INC-42',
    });
  });

  it('replays the same Idempotency-Key and body to the same 202 without starting anything new', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    const first = await http(deps)(submit({}, { 'idempotency-key': 'key-0002' }));

    const again = await http(deps)(submit({}, { 'idempotency-key': 'key-0002' }));

    expect(again).toEqual(first);
    expect(workflows.executions.size).toBe(1);
  });

  it('refuses a reused Idempotency-Key with another body (409)', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    await http(deps)(submit({}, { 'idempotency-key': 'key-0003' }));

    const res = await http(deps)(submit({ duration: 'PT2H' }, { 'idempotency-key': 'key-0003' }));

    expect(res.status).toBe(409);
    expect(res.body.message).toContain('Idempotency-Key');
    expect(workflows.executions.size).toBe(1);
  });

  it('without a key, dedupes the same body within the same UTC minute only', async () => {
    const { deps, workflows, clock } = fakeDeps(PEOPLE);
    const a = await http(deps)(submit());
    const b = await http(deps)(submit());
    clock.current = new Date('2026-03-02T08:01:00Z');
    const c = await http(deps)(submit());

    expect(b.body.requestId).toBe(a.body.requestId);
    expect(c.body.requestId).not.toBe(a.body.requestId);
    expect(workflows.executions.size).toBe(2);
  });

  it.each([
    ['malformed JSON', '{"entitlementId": ', 400, 'body: not valid JSON'],
    ['an unknown field', body({ role: 'admin' }), 400, 'role'],
    ['a __proto__ key', '{"__proto__": {"polluted": true}, "entitlementId": "group:ProdReadOnly", "duration": "PT1H", "justification": "investigating incident"}', 400, '__proto__'],
    ['a constructor key', body({ constructor: { prototype: { polluted: true } } }), 400, 'constructor'],
    ['a number duration', body({ duration: 60 }), 400, 'duration'],
    ['seconds in the duration', body({ duration: 'PT30S' }), 400, 'duration'],
    ['a string for entitlementIds', JSON.stringify({ entitlementIds: 'group:ProdReadOnly', duration: 'PT1H', justification: 'investigating incident' }), 400, 'entitlementIds'],
    ['both entitlementId and entitlementIds', body({ entitlementIds: ['group:ProdAdmin'] }), 400, 'exactly one'],
    ['a short justification', body({ justification: 'because' }), 400, 'justification'],
    ['a control character in the justification', body({ justification: 'investigating\u0000 incident' }), 400, 'justification'],
    ['an unknown entitlement', body({ entitlementId: 'group:Nope' }), 400, 'entitlementIds: unknown entitlement group:Nope'],
    ['a workstation', body({ entitlementId: 'workstation:gpu' }), 403, 'cannot be requested'],
    ['an entitlement not requestable just-in-time', body({ entitlementId: 'group:Engineering' }), 403, 'group:Engineering cannot be requested just-in-time'],
    ['a duration over the maximum', body({ entitlementId: 'group:ProdAdmin', duration: 'PT5H' }), 400, 'duration: 300 minutes exceeds the 240-minute maximum for group:ProdAdmin'],
    ['an unknown subject', body({ employeeId: 'E-NOBODY' }), 404, 'employeeId'],
    ['a subject who left', body({ employeeId: 'E-GONE' }), 409, 'has left'],
    ['a non-JSON array body', '[1,2]', 400, 'invalid access request'],
  ])('refuses %s and starts nothing', async (_label, raw, status, message) => {
    const { deps, workflows } = fakeDeps(PEOPLE);

    const res = await http(deps)(apiEvent(POST, { claims: engCaller, body: raw }));

    expect(res.status).toBe(status);
    expect(String(res.body.message)).toContain(message);
    expect(workflows.startCalls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    const res = await http(deps)(apiEvent(POST, { claims: engCaller, body: body({ justification: 'x'.repeat(9000) }) }));
    expect(res.status).toBe(413);
    expect(workflows.startCalls).toEqual([]);
  });

  it('refuses a bad Idempotency-Key header (400)', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    const res = await http(deps)(submit({}, { 'idempotency-key': 'bad key!' }));
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toContain('Idempotency-Key');
    expect(workflows.startCalls).toEqual([]);
  });

  it.each([
    ['no authorizer claims', undefined, 401],
    ['a caller with no e-mail', { sub: 'idp|x', groups: [] }, 403],
    ['a caller who is not an employee', { sub: 'idp|x', email: 'stranger@example.com' }, 403],
    ['a caller who left', { sub: 'idp|g', email: 'e-gone@example.com' }, 403],
  ])('refuses %s and starts nothing', async (_label, claims, status) => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    const res = await http(deps)(apiEvent(POST, { ...(claims ? { claims } : {}), body: body() }));
    expect(res.status).toBe(status);
    expect(workflows.startCalls).toEqual([]);
  });

  it('lets a colleague ask for someone else; the requester is the caller, never a body field', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE);
    const res = await http(deps)(submit({ employeeId: 'E-SALES' }));
    expect(res.status).toBe(202);
    expect(workflows.executions.get(res.body.requestId as string)).toMatchObject({ employeeId: 'E-SALES', requester: { employeeId: 'E-ENG' } });
  });
});

const view = (status: string | undefined, overrides: Partial<TimeBoundRequestView> = {}): TimeBoundRequestView => ({
  requestId: 'ar-0123456789abcdef0123456789abcdef',
  kind: 'time-bound',
  employeeId: 'E-SALES',
  executionId: 'arn:exec',
  requester: { employeeId: 'E-ENG', email: 'e-eng@example.com' },
  entitlements: [{ id: 'group:ProdReadOnly' }],
  decision: { decision: 'auto-approved' },
  duration: 'PT1H',
  createdAt: '2026-03-02T08:00:00.000Z',
  ...(status ? { status } : {}),
  ...overrides,
});
const ID = 'ar-0123456789abcdef0123456789abcdef';

describe('GET /access-requests/{id} and POST /access-requests/{id}/revoke', () => {
  it.each([
    ['the requester', engCaller, 200],
    ['the subject', { sub: 'idp|s', email: 'e-sales@example.com' }, 200],
    ['an operator', { sub: 'idp|o', email: 'ops@example.com', groups: ['gatehouse-operators'] }, 200],
    ['anyone else', { sub: 'idp|x', email: 'e-gone@example.com', groups: ['other'] }, 404],
  ])('shows the request to %s, or not', async (_label, claims, status) => {
    const { deps } = fakeDeps(PEOPLE, [view('granted', { expiresAt: '2026-03-02T09:00:00Z' })]);
    const res = await http(deps)(apiEvent('GET /access-requests/{id}', { claims, id: ID }));
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body).toMatchObject({ requestId: ID, status: 'granted', expiresAt: '2026-03-02T09:00:00Z', entitlementIds: ['group:ProdReadOnly'] });
  });

  it('starts the revoke path once for a granted request, naming who revoked it', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE, [view('granted')]);
    const revoke = apiEvent('POST /access-requests/{id}/revoke', { claims: engCaller, id: ID });

    const first = await http(deps)(revoke);
    const second = await http(deps)(revoke);

    expect(first).toEqual({ status: 202, body: { requestId: ID, status: 'revoking' } });
    expect(second).toEqual(first);
    expect([...workflows.executions.entries()]).toEqual([
      [`${ID}-revoke`, { action: 'revoke', requestId: ID, employeeId: 'E-SALES', reason: 'revoked', revokedBy: 'e-eng@example.com', revokedAs: 'employee' }],
    ]);
  });

  it('passes the revoker\'s reason to the revoke path (audited, told to the holder), and refuses a bad body starting nothing', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE, [view('granted')]);
    const withReason = apiEvent('POST /access-requests/{id}/revoke', { claims: engCaller, id: ID, body: JSON.stringify({ reason: '  INC-4242 closed  ' }) });

    expect(await http(deps)(withReason)).toEqual({ status: 202, body: { requestId: ID, status: 'revoking' } });
    expect([...workflows.executions.values()]).toEqual([expect.objectContaining({ revokedBy: 'e-eng@example.com', note: 'INC-4242 closed' })]);

    const { deps: fresh, workflows: none } = fakeDeps(PEOPLE, [view('granted')]);
    for (const body of [JSON.stringify({ reason: '' }), JSON.stringify({ reason: 'x'.repeat(501) }), JSON.stringify({ why: 'typo' }), 'not json']) {
      const res = await http(fresh)(apiEvent('POST /access-requests/{id}/revoke', { claims: engCaller, id: ID, body }));
      expect(res.status, body).toBe(400);
    }
    expect(none.executions.size).toBe(0);
  });

  it('records an operator revoking someone else\'s grant as acting as operator', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE, [view('granted')]);
    const operator = { sub: 'idp|o', email: 'ops@example.com', groups: ['gatehouse-operators'] };

    expect(await http(deps)(apiEvent('POST /access-requests/{id}/revoke', { claims: operator, id: ID }))).toEqual({ status: 202, body: { requestId: ID, status: 'revoking' } });
    expect([...workflows.executions.values()]).toEqual([
      { action: 'revoke', requestId: ID, employeeId: 'E-SALES', reason: 'revoked', revokedBy: 'ops@example.com', revokedAs: 'operator' },
    ]);
  });

  it.each([
    // Not yours and not found are one answer (issue #11): a 403 told that the id exists.
    ['someone else', { sub: 'idp|x', email: 'e-gone@example.com', groups: ['developers'] }, 'granted', 404],
    ['the requester, before it is granted', engCaller, undefined, 409],
    ['the requester, once it has ended', engCaller, 'ended', 200],
  ])('answers a revoke by %s as it must and starts nothing', async (_label, claims, status, code) => {
    const { deps, workflows } = fakeDeps(PEOPLE, [view(status)]);
    const res = await http(deps)(apiEvent('POST /access-requests/{id}/revoke', { claims, id: ID }));
    expect(res.status).toBe(code);
    expect(workflows.executions.size).toBe(0);
  });

  it('answers 404 for an id that is not a request id', async () => {
    const { deps } = fakeDeps(PEOPLE);
    const res = await http(deps)(apiEvent('GET /access-requests/{id}', { claims: engCaller, id: '../../etc' }));
    expect(res.status).toBe(404);
  });
});
