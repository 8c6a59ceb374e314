import { describe, expect, it } from 'vitest';
import { employeeIdSchema, employeeLeftSchema } from '#lib/domain/events/employee-events';
import { endOfDayUtc, isoSeconds, provisionAt, schedulerAt, utcDay } from '#lib/domain/shared/dates';
import { scheduleDeprovisioning } from '#lib/domain/joiner/deprovisioning';
import { leaveDeliveryId, scheduledLeave, scheduleNameFor } from '#lib/domain/schedules/schedules';
import { MemoryEmployees, MemorySchedules, executionIds } from './fakes.ts';

const SCHEDULER_NAME = /^[0-9a-zA-Z._-]{1,64}$/;
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

describe('dates', () => {
  it('formats instants to whole seconds in UTC', () => {
    expect(isoSeconds(new Date('2026-03-01T12:34:56.789+02:00'))).toBe('2026-03-01T10:34:56Z');
    expect(endOfDayUtc('2026-02-28')).toBe('2026-02-28T23:59:59Z');
    expect(schedulerAt('2026-09-30T23:59:59Z')).toBe('at(2026-09-30T23:59:59)');
    expect(schedulerAt('2026-10-01T01:59:59+02:00')).toBe('at(2026-09-30T23:59:59)');
    expect(utcDay('2026-10-01T01:00:00+02:00')).toBe('2026-09-30');
  });

  it('never provisions before now, nor earlier than the lead time', () => {
    expect(provisionAt('2026-03-10', new Date('2026-03-01T00:00:00Z'), 36)).toBe('2026-03-08T12:00:00Z');
    expect(provisionAt('2026-03-10', new Date('2026-03-09T18:00:00Z'), 36)).toBe('2026-03-09T18:00:00Z');
  });
});

describe('schedule names and delivery ids', () => {
  it('keeps a short employee id readable', () => {
    expect(scheduleNameFor('C-2001')).toBe('leave-C-2001');
    expect(leaveDeliveryId('C-2001', '2026-09-30T23:59:59Z')).toBe('end-date-C-2001-2026-09-30');
  });

  it('fits the longest and oddest employee ids into the services’ rules, distinctly', () => {
    const long = 'a'.repeat(64);
    const longer = `${'a'.repeat(63)}b`;
    const dotted = 'first.last';
    for (const id of [long, longer, dotted]) {
      expect(employeeIdSchema.safeParse(id).success).toBe(true);
      expect(scheduleNameFor(id)).toMatch(SCHEDULER_NAME);
      expect(leaveDeliveryId(id, '2026-09-30T23:59:59Z')).toMatch(DELIVERY_ID);
    }
    expect(scheduleNameFor(long)).not.toBe(scheduleNameFor(longer));
    expect(leaveDeliveryId(long, '2026-09-30T23:59:59Z')).not.toBe(leaveDeliveryId(longer, '2026-09-30T23:59:59Z'));
    expect(leaveDeliveryId('first.last', '2026-09-30T23:59:59Z')).not.toBe(leaveDeliveryId('first_last', '2026-09-30T23:59:59Z'));
  });

  it('builds an employee.left event the leaver accepts', () => {
    const event = scheduledLeave('C-2001', '2026-09-30T23:59:59Z', 'hibob');

    expect(employeeLeftSchema.parse(event)).toEqual({
      type: 'employee.left',
      deliveryId: 'end-date-C-2001-2026-09-30',
      source: 'hibob',
      occurredAt: '2026-09-30T23:59:59Z',
      employeeId: 'C-2001',
      effectiveAt: '2026-09-30T23:59:59Z',
      immediate: false,
    });
  });
});

describe('scheduleDeprovisioning', () => {
  it('creates the schedule, leaves it on a retry and moves it when the end date moves', async () => {
    const schedules = new MemorySchedules();
    const employees = new MemoryEmployees();
    employees.sources.set('C-2001', 'generic');
    const deps = { schedules, employees };
    const base = { requestId: executionIds.executionName, employeeId: 'C-2001', ...executionIds };

    const first = await scheduleDeprovisioning(deps, { ...base, endAt: '2026-09-30T23:59:59Z' });
    const retry = await scheduleDeprovisioning(deps, { ...base, endAt: '2026-09-30T23:59:59Z' });
    const moved = await scheduleDeprovisioning(deps, { ...base, endAt: '2026-12-31T23:59:59Z' });

    expect(first).toEqual({ scheduleName: 'leave-C-2001', at: '2026-09-30T23:59:59Z', change: 'created' });
    expect(retry.change).toBe('unchanged');
    expect(moved).toEqual({ scheduleName: 'leave-C-2001', at: '2026-12-31T23:59:59Z', change: 'updated' });
    const spec = schedules.specs.get('leave-C-2001');
    expect(spec?.expression).toBe('at(2026-12-31T23:59:59)');
    expect(employeeLeftSchema.parse(JSON.parse(spec?.input ?? 'null'))).toMatchObject({ deliveryId: 'end-date-C-2001-2026-12-31', source: 'generic' });
  });
});
