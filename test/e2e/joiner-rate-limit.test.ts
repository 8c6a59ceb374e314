import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../local/core/faults.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The rate mode against the real ASL: Identity Store held to a token bucket far below its AWS
 * quota (4 calls, refilled at 4 per second, across the API) and EC2 to its documented buckets
 * (`rate=aws`), while several hires run at once. Every hire still ends once, with one user, the
 * right memberships and one workstation: what Step Functions' retriers do for a throttle.
 */
const N = 4;
const RULES = parseFaultSpec('identitystore:*:rate=4,burst=4;ec2:*:rate=aws');

let e2e: E2eCloud;
beforeAll(async () => {
  e2e = await startE2eCloud('rate-limit', { faults: RULES });
});
afterAll(() => e2e?.stop());

describe('joiner under a rate limit', () => {
  it(`completes ${N} concurrent hires exactly once each while Identity Store throttles past 4 calls per second`, async () => {
    const ids = Array.from({ length: N }, (_, i) => employeeId(`rate${i}`));

    const posted = await Promise.all(ids.map((id) => e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)));
    const executions = await Promise.all(ids.map((id) => finishedJoiner(e2e.sfn, `generic-${id}-hire`, 180_000)));
    const throttled = [...e2e.cloud.faults.throttled].reduce((sum, [key, n]) => sum + (key.startsWith('identitystore:') ? n : 0), 0);
    e2e.cloud.faults.set([]);

    expect(posted.map((p) => p.status)).toEqual(ids.map(() => 202));
    expect(executions.map((e) => e.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(throttled).toBeGreaterThan(0);
    const want = expectedAccess('engineer');
    for (const id of ids) {
      const access = await accessOf(id, userNameOf(id));
      expect(access.users, id).toBe(1);
      expect(access.groups, id).toEqual(want.groups);
      expect(access.instances, id).toHaveLength(1);
      expect(access.auditKinds.filter((kind) => kind === 'grant.applied'), id).toHaveLength(want.entitlements);
    }
  }, 240_000);
});
