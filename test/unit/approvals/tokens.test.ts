import { describe, expect, it } from 'vitest';
import { approvalIdSchema, approvalRef, approvalState, newApprovalId, slotKey, tokenHash, type Approval } from '#lib/domain/approvals/approval';
import { csrfCookie, csrfCookieName, csrfToken, sameSecret, verifyCsrf } from '#lib/domain/approvals/csrf';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { approvalInput, harness } from './fakes.ts';

async function anApproval(): Promise<Approval> {
  const h = harness();
  await requestApproval(h.requestDeps, approvalInput());
  return h.approvals.only();
}

describe('approval ids', () => {
  it('are 256 random bits in base64url, never repeating', () => {
    const ids = Array.from({ length: 500 }, () => newApprovalId());

    expect(new Set(ids).size).toBe(500);
    for (const id of ids) expect(approvalIdSchema.safeParse(id).success).toBe(true);
    expect(Buffer.from(ids[0]!, 'base64url')).toHaveLength(32);
  });

  it('are named in logs and audit by a ref that does not reveal them', () => {
    const id = newApprovalId();

    expect(approvalRef(id)).toMatch(/^apv-[0-9a-f]{24}$/);
    expect(approvalRef(id)).not.toContain(id.slice(0, 8));
    expect(approvalRef(id)).toBe(approvalRef(id));
  });

  it('never accept a slot key as an approval id', () => {
    expect(approvalIdSchema.safeParse(slotKey('exec', 'req', 0, 'a@example.com')).success).toBe(false);
  });

  it('hash task tokens so that comparisons need no second copy of the token', () => {
    expect(tokenHash('GHT1abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash('GHT1abc')).not.toBe(tokenHash('GHT1abd'));
  });
});

describe('CSRF token', () => {
  it('is the HMAC of id and approver under the approval secret', async () => {
    const approval = await anApproval();

    const token = csrfToken(approval);

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfToken({ ...approval })).toBe(token);
    expect(csrfToken({ ...approval, csrfSecret: `${approval.csrfSecret}x` })).not.toBe(token);
    expect(csrfToken({ ...approval, approvalId: newApprovalId() })).not.toBe(token);
    expect(csrfToken({ ...approval, approver: { ...approval.approver, email: 'mallory@example.com' } })).not.toBe(token);
  });

  it('needs both the form token and the matching cookie', async () => {
    const approval = await anApproval();
    const token = csrfToken(approval);

    expect(verifyCsrf(approval, token, token)).toBe('ok');
    expect(verifyCsrf(approval, token, undefined)).toBe('missing-cookie');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyCsrf(approval, token, tampered)).toBe('bad-cookie');
    expect(verifyCsrf(approval, 'forged', token)).toBe('bad-token');
    expect(verifyCsrf(approval, '', '')).toBe('bad-token');
  });

  it('compares in constant time and survives different lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abcd', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });

  it('travels in a __Host- cookie: Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', () => {
    const cookie = csrfCookie('apv-0123', 'tok', 3600);

    expect(cookie.startsWith(`${csrfCookieName('apv-0123')}=tok;`)).toBe(true);
    expect(cookie).toMatch(/^__Host-/);
    expect(cookie).toContain('; Path=/;');
    expect(cookie).toContain('; Secure;');
    expect(cookie).toContain('; HttpOnly;');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Max-Age=3600');
    expect(cookie.toLowerCase()).not.toContain('domain=');
    expect(csrfCookie('r', 't', -5)).toContain('Max-Age=60');
  });
});

describe('approval state', () => {
  it('is open before expiry, expired from the expiry instant on, and closed once decided, cancelled or replaced', async () => {
    const approval = await anApproval();
    const expiry = new Date(approval.expiresAt);

    expect(approvalState(approval, new Date(expiry.getTime() - 1))).toEqual({ kind: 'open' });
    expect(approvalState(approval, expiry)).toEqual({ kind: 'expired' });
    expect(approvalState({ ...approval, status: 'approved' }, new Date(0))).toEqual({ kind: 'decided', decision: 'approved', delivery: 'pending' });
    expect(approvalState({ ...approval, status: 'denied', delivery: 'task-gone' }, new Date(0))).toEqual({
      kind: 'decided',
      decision: 'denied',
      delivery: 'task-gone',
    });
    expect(approvalState({ ...approval, status: 'cancelled' }, new Date(0))).toEqual({ kind: 'cancelled' });
    expect(approvalState({ ...approval, status: 'superseded' }, new Date(0))).toEqual({ kind: 'superseded' });
  });
});
