import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { findEntitlement } from '#lib/domain/catalogue/resolve';
import { apiEvent, employee, fakeDeps, http, requestView } from './fakes.ts';

/** POST /access-requests/{id}/extend through the deployed error mapping: every refusal starts nothing (issue #17). */

const ID = 'ar-0123456789abcdef0123456789abcdef';
const HOLDER = employee('E-SALES', 'sales', { managerEmail: 'sam.boss@example.com' });
const BOSS = employee('E-BOSS', 'sales', { email: 'sam.boss@example.com' });
const ENG = employee('E-ENG', 'engineer');
const STRANGER = employee('E-X', 'sales');
const PEOPLE = [HOLDER, BOSS, ENG, STRANGER];
const granted = (overrides = {}) =>
  requestView('granted', { requestId: ID, entitlements: [findEntitlement(roleCatalogue, 'group:ProdAdmin')], grantedAt: '2026-03-02T08:00:00.412Z', expiresAt: '2026-03-02T10:00:00Z', ...overrides });
const as = (who: { employeeId: string; email: string }) => ({ sub: `idp|${who.employeeId}`, email: who.email, groups: [] });

function extend(caller: ReturnType<typeof as>, body: unknown, key = 'ext-key-0001') {
  return apiEvent('POST /access-requests/{id}/extend', { id: ID, claims: caller, body: JSON.stringify(body), headers: { 'idempotency-key': key } });
}
const ask = { by: 'PT1H', reason: 'INC-4242 is still open' };

describe('POST /access-requests/{id}/extend', () => {
  it('answers 202 with an ex- id, both ends, and starts one extend execution; a replay starts nothing new', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE, [granted()]);
    const first = await http(deps)(extend(as(HOLDER), ask));
    const replay = await http(deps)(extend(as(HOLDER), ask));

    expect(first).toEqual({ status: 202, body: { requestId: expect.stringMatching(/^ex-[0-9a-f]{32}$/), extends: ID, status: 'submitted', currentEnd: '2026-03-02T10:00:00Z', newEnd: '2026-03-02T11:00:00Z' } });
    expect(replay.body.requestId).toBe(first.body.requestId);
    expect(workflows.executions.size).toBe(1);
    expect(workflows.executions.get(String(first.body.requestId))).toMatchObject({ action: 'extend', grantRequestId: ID, employeeId: 'E-SALES', by: 'PT1H', justification: 'INC-4242 is still open' });
  });

  it("lets the holder's manager ask too", async () => {
    const { deps } = fakeDeps(PEOPLE, [granted()]);
    expect((await http(deps)(extend(as(BOSS), ask))).status).toBe(202);
  });

  it.each([
    ['the same key with another body', as(HOLDER), { by: 'PT2H', reason: 'INC-4242 is still open' }, 409, 'Idempotency-Key: already used'],
    ['a requester who is neither holder nor manager (sees it: 403)', as(ENG), ask, 403, 'only E-SALES or their manager can extend this grant'],
    ['somebody who may not see it (404, as for an unknown id)', as(STRANGER), ask, 404, `no access request ${ID} that you may see`],
    ['a total over the maximum', as(HOLDER), { by: 'PT3H', reason: 'INC-4242 is still open' }, 400, 'makes 5 hours in all, over the 4 hours maximum for group:ProdAdmin'],
    ['an unknown field', as(HOLDER), { ...ask, until: 'tomorrow' }, 400, 'invalid extension'],
    ['a duration with seconds', as(HOLDER), { by: 'PT30S', reason: 'INC-4242 is still open' }, 400, 'by:'],
  ])('refuses %s and starts nothing', async (_what, caller, body, status, message) => {
    const { deps, workflows } = fakeDeps(PEOPLE, [granted()]);
    if (status === 409) await http(deps)(extend(as(HOLDER), ask));
    const before = workflows.executions.size;
    const res = await http(deps)(extend(caller, body));
    expect(res.status).toBe(status);
    expect(String(res.body.message)).toContain(message);
    expect(workflows.executions.size).toBe(before);
  });

  it('refuses an ended grant (409: an extension after the end is a new request)', async () => {
    const { deps, workflows } = fakeDeps(PEOPLE, [granted({ status: 'ended', endReason: 'expired' })]);
    const res = await http(deps)(extend(as(HOLDER), ask));
    expect(res).toMatchObject({ status: 409, body: { message: `request ${ID} has ended (expired); an ended grant cannot be extended: ask for a new request` } });
    expect(workflows.executions.size).toBe(0);
  });
});
