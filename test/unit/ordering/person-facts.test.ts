import { describe, expect, it } from 'vitest';
import { isNewer, staleChange, staleLeave } from '#lib/domain/ordering/person-facts';

const T1 = '2026-03-01T09:00:00.000Z';
const T2 = '2026-03-02T09:00:00.000Z';
const T3 = '2026-03-03T09:00:00.000Z';
const T4 = '2026-03-04T09:00:00.000Z';

describe('per-person ordering (issue #11)', () => {
  it('isNewer: anything is newer than nothing; an equal time is not newer', () => {
    expect(isNewer(undefined, T1)).toBe(true);
    expect(isNewer(T1, T2)).toBe(true);
    expect(isNewer(T2, T2)).toBe(false);
    expect(isNewer(T2, '2026-03-02T10:00:00+02:00')).toBe(false);
  });

  it('a leave older than (or as old as) the rehire that set the status is stale', () => {
    const rehired = { status: 'active', statusOccurredAt: T3 };
    expect(staleLeave(rehired, T2)).toBe('newer-applied');
    expect(staleLeave(rehired, T3)).toBe('newer-applied');
    expect(staleLeave(rehired, T4)).toBeUndefined();
    expect(staleLeave({ status: 'active' }, T1)).toBeUndefined();
  });

  it('a leave of the instant a leaver claimed and did not finish is run again; once left, it is stale', () => {
    expect(staleLeave({ status: 'active', statusOccurredAt: T3, leavingBy: 'generic-leave' }, T3)).toBeUndefined();
    expect(staleLeave({ status: 'active', statusOccurredAt: T3, leavingBy: 'generic-leave' }, T2)).toBe('newer-applied');
    expect(staleLeave({ status: 'left', statusOccurredAt: T3 }, T3)).toBe('newer-applied');
  });

  it('a change is stale after a leave, or when a newer event wrote the profile', () => {
    expect(staleChange({ status: 'left', hrisOccurredAt: T1 }, T4)).toBe('left-after');
    expect(staleChange({ status: 'active', hrisOccurredAt: T3 }, T2)).toBe('newer-applied');
    expect(staleChange({ status: 'active', hrisOccurredAt: T3 }, T3)).toBeUndefined();
    expect(staleChange({ status: 'active', hrisOccurredAt: T1 }, T2)).toBeUndefined();
  });
});
