import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '../../../functions/lib/runtime/catalogue.ts';
import { findingsOf, holdingsOf, requestView, timelineOf } from '../../../functions/lib/domain/console/views.ts';
import { workflowOverview, type ExecutionRun, type WorkflowRuns } from '../../../functions/lib/domain/console/workflows.ts';
import type { StoredApproval, StoredRequest } from '../../../functions/lib/domain/console/ports.ts';

/** How the console shows stored records: pure functions over plain data. */

const NOW = new Date('2026-12-03T10:00:00.000Z');
const request = (overrides: Partial<StoredRequest> = {}): StoredRequest => ({
  requestId: 'ar-1',
  kind: 'time-bound',
  employeeId: 'E1',
  entitlements: [{ id: 'group:ProdAdmin' }],
  decision: { decision: 'needs-approval' },
  duration: 'PT2H',
  justification: 'INC-1: restart',
  createdAt: '2026-12-03T09:00:00.000Z',
  ...overrides,
});
const approval = (status: string, email: string, expiresAt = '2026-12-04T00:00:00.000Z'): StoredApproval => ({
  approvalId: `a-${email}`, requestId: 'ar-1', employeeId: 'E1', step: 0, status, expiresAt, createdAt: '2026-12-03T09:00:01.000Z', approver: { email },
});

describe('holdingsOf', () => {
  it('shows active grants by source (birthright, role, time-bound), drops revoked and expired ones', () => {
    const holdings = holdingsOf(
      roleCatalogue,
      [
        { entitlementId: 'group:AllStaff', source: 'role:engineer', status: 'active', grantedAt: '2026-12-01T00:00:00.000Z' },
        { entitlementId: 'group:Engineering', source: 'role:engineer', status: 'active' },
        { entitlementId: 'group:ProdAdmin', source: 'time-bound:ar-1', status: 'active', expiresAt: '2026-12-03T11:00:00.000Z', requestId: 'ar-1' },
        { entitlementId: 'group:ProdReadOnly', source: 'time-bound:ar-0', status: 'active', expiresAt: '2026-12-03T09:59:59.000Z', requestId: 'ar-0' },
        { entitlementId: 'group:Sales', source: 'role:sales', status: 'revoked' },
      ],
      NOW,
    );
    expect(holdings.map((h) => [h.name, h.source, h.requestId])).toEqual([
      ['AllStaff', 'birthright', null],
      ['Engineering', 'role', null],
      ['ProdAdmin', 'time-bound', 'ar-1'],
    ]);
  });
});

describe('requestView', () => {
  it('waits for the approvers still pending, and only while pending', () => {
    const view = requestView(request(), [approval('approved', 'dana@example.com'), approval('pending', 'owners@example.com'), approval('pending', 'late@example.com', '2026-12-03T09:30:00.000Z')], NOW);
    expect([view.status, view.waitingFor]).toEqual(['pending-approval', ['owners@example.com']]);
    expect(requestView(request({ status: 'denied' }), [approval('pending', 'owners@example.com')], NOW).waitingFor).toEqual([]);
  });

  it('says expired once a granted request is past its end, and shows when an early revoke ended it', () => {
    expect(requestView(request({ status: 'granted', expiresAt: '2026-12-03T09:59:00.000Z' }), [], NOW).status).toBe('expired');
    expect(requestView(request({ status: 'granted', expiresAt: '2026-12-03T12:00:00.000Z' }), [], NOW).status).toBe('granted');
    expect(requestView(request({ status: 'ended', expiresAt: '2026-12-03T12:00:00.000Z', endedAt: '2026-12-03T09:45:00.000Z' }), [], NOW).expiresAt).toBe('2026-12-03T09:45:00.000Z');
    // Ended by its expiry schedule: expired, not merely ended; an early revoke stays ended.
    expect(requestView(request({ status: 'ended', endReason: 'expired', endedAt: '2026-12-03T09:59:00.000Z' }), [], NOW).status).toBe('expired');
    expect(requestView(request({ status: 'ended', endReason: 'revoked-early', endedAt: '2026-12-03T09:45:00.000Z' }), [], NOW).status).toBe('ended');
  });
});

describe('timeline and findings', () => {
  const entry = (seq: number, kind: string, extra: Record<string, unknown> = {}) => ({ subject: 'E1', seq, kind, actor: 'system:x', at: `2026-12-03T09:0${seq}:00.000Z`, reason: `r${seq}`, requestId: 'q', ...extra });
  it('orders a timeline newest first and names the entitlement', () => {
    expect(timelineOf([entry(1, 'request.received'), entry(2, 'grant.applied', { entitlementId: 'group:X' })]).map((t) => [t.event, t.detail])).toEqual([
      ['grant.applied', 'group:X: r2'],
      ['request.received', 'r1'],
    ]);
  });
  it('keeps only reconciliation findings, with their action as state', () => {
    const found = findingsOf([entry(1, 'reconciliation.finding', { detail: { finding: 'orphan-user', action: 'flagged' } }), entry(2, 'grant.applied')]);
    expect(found).toEqual([{ findingId: 'E1#1', kind: 'orphan-user', subject: 'E1', state: 'flagged', foundAt: '2026-12-03T09:01:00.000Z' }]);
  });
});

describe('workflowOverview', () => {
  it('lists failures first with their failing step, and counts per day and workflow', async () => {
    const run = (workflow: string, name: string, status: string, startedAt: string): ExecutionRun => ({ workflow, name, arn: `arn:${name}`, status, startedAt, stoppedAt: null });
    const runs: WorkflowRuns = {
      recent: (workflow) =>
        Promise.resolve(
          workflow === 'joiner'
            ? [run('joiner', 'ok-1', 'SUCCEEDED', '2026-12-03T09:00:00.000Z'), run('joiner', 'bad-1', 'FAILED', '2026-12-02T09:00:00.000Z')]
            : [run('leaver', 'live-1', 'RUNNING', '2026-12-03T08:00:00.000Z')],
        ),
      failureOf: (arn) => Promise.resolve({ failedStep: `step of ${arn}`, error: 'States.TaskFailed: boom' }),
    };
    const overview = await workflowOverview(runs, ['joiner', 'leaver']);
    expect(overview.items.map((i) => [i.name, i.failedStep])).toEqual([
      ['bad-1', 'step of arn:bad-1'],
      ['ok-1', null],
      ['live-1', null],
    ]);
    expect(overview.perDay).toEqual([
      { day: '2026-12-03', workflow: 'joiner', succeeded: 1, failed: 0, running: 0 },
      { day: '2026-12-03', workflow: 'leaver', succeeded: 0, failed: 0, running: 1 },
      { day: '2026-12-02', workflow: 'joiner', succeeded: 0, failed: 1, running: 0 },
    ]);
  });
});
