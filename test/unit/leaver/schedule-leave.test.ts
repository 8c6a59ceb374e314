import { describe, expect, it } from 'vitest';
import type { EmployeeLeft } from '#lib/domain/events/employee-events';
import type { ScheduleSpec } from '#lib/domain/schedules/schedules';
import { cancelLeave, decideTiming, type ScheduleLeaveDeps } from '#lib/domain/leaver/schedule-leave';
import { auditRecorder, cancelEvent, clock, ids, leftEvent } from './factories.ts';

const june = leftEvent({ occurredAt: '2026-04-20T09:00:00Z', effectiveAt: '2026-06-01T00:00:00Z' });

/** One schedule slot (leave-E1), an employee record, and the audit drafts written. */
function world(state: { schedule?: string; employee?: { status?: string; endDate?: string; source?: 'generic' } }) {
  const { drafts, audit } = auditRecorder();
  const ensured: ScheduleSpec[] = [];
  const deps: ScheduleLeaveDeps = {
    ports: {
      scheduled: () => Promise.resolve(state.schedule ? (JSON.parse(state.schedule) as EmployeeLeft) : undefined),
      remove: () => {
        delete state.schedule;
        return Promise.resolve();
      },
      employee: () => Promise.resolve(state.employee),
    },
    schedules: {
      ensure: (spec) => {
        ensured.push(spec);
        const change = state.schedule === undefined ? 'created' : state.schedule === spec.input ? 'unchanged' : 'updated';
        state.schedule = spec.input;
        return Promise.resolve(change);
      },
    },
    audit,
    clock,
  };
  return { deps, drafts, ensured, state };
}

describe('decideTiming', () => {
  it('puts a future leave on leave-<id> at effectiveAt with the event as input, audited', async () => {
    const { deps, drafts, ensured } = world({ employee: { status: 'active' } });

    const result = await decideTiming(deps, { action: 'decide', event: june, ...ids });

    expect(result).toEqual({ action: 'scheduled', scheduleName: 'leave-E1', effectiveAt: '2026-06-01T00:00:00Z', change: 'scheduled' });
    expect(ensured).toEqual([{ name: 'leave-E1', expression: 'at(2026-06-01T00:00:00)', input: JSON.stringify(june) }]);
    expect(drafts).toEqual([
      {
        kind: 'leave.decided',
        subject: 'E1',
        actor: { type: 'hris', id: 'generic' },
        requestId: 'generic-d1',
        executionId: ids.executionId,
        reason: 'leave scheduled for 2026-06-01T00:00:00Z',
        idempotencyKey: 'generic-d1/leave.decided',
        detail: { deliveryId: 'generic-d1', decision: 'scheduled', effectiveAt: '2026-06-01T00:00:00Z', decidedAt: '2026-04-20T09:00:00.000Z' },
      },
    ]);
  });

  it('revokes now without touching the schedule or the audit', async () => {
    const { deps, drafts, ensured } = world({ employee: { status: 'active' } });
    const now = { ...june, effectiveAt: '2026-05-01T00:00:00Z' };

    expect(await decideTiming(deps, { action: 'decide', event: now, ...ids })).toEqual({ action: 'revoke', revokeAt: '2026-05-01T12:00:00Z' });
    expect(ensured).toEqual([]);
    expect(drafts).toEqual([]);
  });

  it('leaves the schedule alone for an older event and audits why', async () => {
    const { deps, drafts, ensured, state } = world({ schedule: JSON.stringify(june), employee: { status: 'active' } });
    const older = { ...june, deliveryId: 'generic-d0', occurredAt: '2026-04-01T00:00:00Z', effectiveAt: '2026-05-15T00:00:00Z' };

    const result = await decideTiming(deps, { action: 'decide', event: older, ...ids, executionName: 'generic-d0' });

    expect(result).toMatchObject({ action: 'ignored', why: 'older-than-current' });
    expect(ensured).toEqual([]);
    expect(state.schedule).toBe(JSON.stringify(june));
    expect(drafts.map((d) => d.detail)).toEqual([{ deliveryId: 'generic-d0', decision: 'ignored', why: 'older-than-current', effectiveAt: '2026-05-15T00:00:00.000Z', decidedAt: '2026-04-01T00:00:00.000Z' }]);
  });
});

describe('cancelLeave', () => {
  const cancellation = cancelEvent('2026-04-28T10:00:00Z');
  const input = { action: 'cancel' as const, event: cancellation, ...ids, executionName: 'generic-c1' };

  it('deletes the scheduled leave of someone without a contract end date', async () => {
    const { deps, drafts, state } = world({ schedule: JSON.stringify(june), employee: { status: 'active' } });

    expect(await cancelLeave(deps, input)).toEqual({ action: 'cancelled', deleted: 'generic-d1', restoredEndAt: null, outcome: { result: 'leave-cancelled', words: 'leave cancelled' } });
    expect(state.schedule).toBeUndefined();
    expect(drafts.map((d) => [d.kind, d.reason, d.detail])).toEqual([
      ['leave.decided', 'scheduled leave of 2026-06-01T00:00:00Z cancelled', { deliveryId: 'generic-c1', decision: 'cancelled', decidedAt: '2026-04-28T10:00:00.000Z' }],
    ]);
  });

  it('puts the contract end date back on the same schedule', async () => {
    const { deps, state, drafts } = world({ schedule: JSON.stringify(june), employee: { status: 'active', endDate: '2026-09-30', source: 'generic' } });

    expect(await cancelLeave(deps, input)).toEqual({ action: 'cancelled', deleted: 'generic-d1', restoredEndAt: '2026-09-30T23:59:59Z', outcome: { result: 'leave-cancelled', words: 'leave cancelled' } });
    expect(JSON.parse(state.schedule ?? '{}')).toEqual({
      type: 'employee.left',
      deliveryId: 'end-date-E1-2026-09-30',
      source: 'generic',
      occurredAt: '2026-09-30T23:59:59Z',
      employeeId: 'E1',
      effectiveAt: '2026-09-30T23:59:59Z',
      immediate: false,
    });
    expect(drafts[0]?.detail).toEqual({ deliveryId: 'generic-c1', decision: 'cancelled', decidedAt: '2026-04-28T10:00:00.000Z', endsAt: '2026-09-30T23:59:59Z' });
  });

  it('ignores a cancellation after the leave ran, with the reason audited', async () => {
    const { deps, drafts, ensured } = world({ employee: { status: 'left', endDate: '2026-09-30' } });

    const result = await cancelLeave(deps, input);

    expect(result).toEqual({
      action: 'ignored',
      why: 'already-left',
      reason: 'cancellation ignored: the leave already ran (employee status left); re-hire to restore access',
      outcome: { result: 'ignored', words: 'ignored (nothing changed): already-left' },
    });
    expect(ensured).toEqual([]);
    expect(drafts.map((d) => d.detail)).toEqual([{ deliveryId: 'generic-c1', decision: 'ignored', why: 'already-left', decidedAt: '2026-04-28T10:00:00.000Z' }]);
  });
});
