import { describe, expect, it } from 'vitest';
import { basisOfSource, decodeGrantSource, encodeGrantSource, isRoleSource, isTimeBoundSource, roleOfSource, roleSource, timeBoundSource } from '#lib/domain/grants/source';

describe('grant source codec', () => {
  it('encodes a role and a time-bound request, and decodes them back', () => {
    expect(roleSource('engineer')).toBe('role:engineer');
    expect(timeBoundSource('ar-1')).toBe('time-bound:ar-1');
    expect(decodeGrantSource(encodeGrantSource({ kind: 'role', roleId: 'engineer' }))).toEqual({ kind: 'role', roleId: 'engineer' });
    expect(decodeGrantSource(encodeGrantSource({ kind: 'time-bound', requestId: 'ar-1' }))).toEqual({ kind: 'time-bound', requestId: 'ar-1' });
  });

  it('reads nothing from a string that names no known kind or no id', () => {
    for (const stored of ['', 'role', 'role:', 'jit:ar-1', 'time-bound:', 'birthright:x']) expect(decodeGrantSource(stored)).toBeUndefined();
  });

  it('tells role sources from time-bound ones, and the audit basis of each', () => {
    expect([isRoleSource('role:sales'), isRoleSource('time-bound:ar-1')]).toEqual([true, false]);
    expect([isTimeBoundSource('time-bound:ar-1'), isTimeBoundSource('role:sales')]).toEqual([true, false]);
    expect(roleOfSource('role:sales')).toBe('sales');
    expect(roleOfSource('time-bound:ar-1')).toBeUndefined();
    expect([basisOfSource('role:sales'), basisOfSource('time-bound:ar-1')]).toEqual(['role', 'time-bound']);
  });
});
