import { describe, expect, it } from 'vitest';
import { scheduledLeave } from '#lib/domain/schedules/schedules';
import { decideCancellation, decideLeave, hrDecisionIn } from '#lib/domain/leaver/leave-timing';
import { cancelEvent, leftEvent, NOW } from './factories.ts';

const leave = (deliveryId: string, occurredAt: string, effectiveAt: string, immediate = false) => leftEvent({ deliveryId, occurredAt, effectiveAt, immediate });
const cancel = cancelEvent;

const active = { status: 'active' };
const contractEnd = scheduledLeave('E1', '2026-09-30T23:59:59Z', 'generic');
/** Decided on 2026-04-20, effective 2026-06-01. */
const scheduledJune = leave('generic-d1', '2026-04-20T09:00:00Z', '2026-06-01T00:00:00Z');

describe('decideLeave', () => {
  it('revokes at once when effectiveAt is now or in the past', () => {
    expect(decideLeave(leave('generic-d2', '2026-05-01T11:00:00Z', '2026-05-01T12:00:00Z'), undefined, active, NOW)).toEqual({ action: 'revoke', revokeAt: '2026-05-01T12:00:00Z' });
    expect(decideLeave(leave('generic-d2', '2026-05-01T11:00:00Z', '2026-04-01T00:00:00Z'), undefined, active, NOW)).toEqual({ action: 'revoke', revokeAt: '2026-05-01T12:00:00Z' });
  });

  it('revokes at once when the leave is flagged immediate, even with a future effectiveAt', () => {
    expect(decideLeave(leave('generic-d2', '2026-05-01T11:00:00Z', '2026-07-01T00:00:00Z', true), undefined, active, NOW)).toEqual({ action: 'revoke', revokeAt: '2026-05-01T12:00:00Z' });
  });

  it('schedules a future leave for effectiveAt, in UTC whole seconds', () => {
    const event = leave('generic-d2', '2026-05-01T11:00:00Z', '2026-06-01T02:00:00.750+02:00');
    expect(decideLeave(event, undefined, active, NOW)).toEqual({ action: 'schedule', effectiveAt: '2026-06-01T00:00:00Z', change: 'scheduled' });
  });

  it('replaces the contract end-date schedule, which holds no HR decision', () => {
    expect(hrDecisionIn(contractEnd)).toBeUndefined();
    expect(hrDecisionIn(scheduledJune)).toEqual(scheduledJune);
    expect(decideLeave(scheduledJune, contractEnd, active, NOW)).toEqual({ action: 'schedule', effectiveAt: '2026-06-01T00:00:00Z', change: 'scheduled' });
  });

  it('moves a scheduled leave when a newer event names another date', () => {
    const later = leave('generic-d3', '2026-04-25T09:00:00Z', '2026-07-15T00:00:00Z');
    expect(decideLeave(later, scheduledJune, active, NOW)).toEqual({ action: 'schedule', effectiveAt: '2026-07-15T00:00:00Z', change: 'moved' });
  });

  it('ignores an older, late-delivered event: the newer decision stands', () => {
    const older = leave('generic-d0', '2026-04-10T09:00:00Z', '2026-05-20T00:00:00Z');
    expect(decideLeave(older, scheduledJune, active, NOW)).toEqual({ action: 'ignore', why: 'older-than-current', current: scheduledJune });
    const olderImmediate = leave('generic-d0', '2026-04-10T09:00:00Z', '2026-04-10T09:00:00Z', true);
    expect(decideLeave(olderImmediate, scheduledJune, active, NOW)).toMatchObject({ action: 'ignore', why: 'older-than-current' });
  });

  it('revokes when the scheduled event itself fires (same decision, now effective)', () => {
    const atJune = new Date('2026-06-01T00:00:01Z');
    expect(decideLeave(scheduledJune, scheduledJune, active, atJune)).toEqual({ action: 'revoke', revokeAt: '2026-06-01T00:00:01Z' });
  });

  it('reports a redelivered scheduled leave as unchanged', () => {
    expect(decideLeave(scheduledJune, scheduledJune, active, NOW)).toEqual({ action: 'schedule', effectiveAt: '2026-06-01T00:00:00Z', change: 'unchanged' });
  });

  it('schedules nothing for someone who already left', () => {
    expect(decideLeave(scheduledJune, undefined, { status: 'left' }, NOW)).toEqual({ action: 'ignore', why: 'already-left' });
  });
});

describe('decideCancellation', () => {
  it('deletes a scheduled leave of someone with no contract end date', () => {
    expect(decideCancellation(cancel('2026-04-28T10:00:00Z'), scheduledJune, active, NOW)).toEqual({ action: 'cancel', deleted: scheduledJune });
  });

  it('restores the contract end date (end of that day, UTC) when the employee has one', () => {
    const decision = decideCancellation(cancel('2026-04-28T10:00:00Z'), scheduledJune, { status: 'active', endDate: '2026-09-30' }, NOW);
    expect(decision).toEqual({ action: 'cancel', deleted: scheduledJune, restoreEndAt: '2026-09-30T23:59:59Z' });
  });

  it('does not restore a contract end date already past', () => {
    expect(decideCancellation(cancel('2026-04-28T10:00:00Z'), scheduledJune, { status: 'active', endDate: '2026-04-30' }, NOW)).toEqual({ action: 'cancel', deleted: scheduledJune });
  });

  it('is ignored once the leave ran (employee status left)', () => {
    expect(decideCancellation(cancel('2026-04-28T10:00:00Z'), undefined, { status: 'left', endDate: '2026-09-30' }, NOW)).toEqual({ action: 'ignore', why: 'already-left' });
  });

  it('is ignored when a newer leave decision is scheduled', () => {
    expect(decideCancellation(cancel('2026-04-19T10:00:00Z'), scheduledJune, active, NOW)).toEqual({ action: 'ignore', why: 'older-than-current', current: scheduledJune });
  });

  it('deletes nothing when only the contract end date is scheduled', () => {
    expect(decideCancellation(cancel('2026-04-28T10:00:00Z'), contractEnd, { status: 'active', endDate: '2026-09-30' }, NOW)).toEqual({
      action: 'cancel',
      deleted: undefined,
      restoreEndAt: '2026-09-30T23:59:59Z',
    });
  });
});
