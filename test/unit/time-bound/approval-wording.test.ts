import { describe, expect, it } from 'vitest';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { approvalInput, harness, HOSTILE, requestRecord } from '../approvals/fakes.ts';

/** An approver asked about a time-bound request sees who asks, for whom, what, for how long and why. */

const timeBoundRecord = requestRecord({
  kind: 'time-bound',
  requester: { employeeId: 'E0042', email: 'colleague@example.com' },
  duration: 'PT4H',
  justification: `incident INC-7 needs prod admin ${HOSTILE}`,
});

describe('approval e-mail for a time-bound request', () => {
  it('names the requester, the duration and the justification, escaped in the HTML part', async () => {
    const h = harness(timeBoundRecord);

    await requestApproval(h.requestDeps, approvalInput());

    const mail = h.mailer.sent[0];
    expect(mail?.subject).toBe('Approval needed: time-bound group:ProdAdmin, group:Developers for Ada Lovelace');
    expect(mail?.text).toContain('Asked by: colleague@example.com (E0042)');
    expect(mail?.text).toContain('For: 4 hours');
    expect(mail?.text).toContain('Justification: incident INC-7 needs prod admin');
    expect(mail?.text).toContain('time-bound (just-in-time) access');
    expect(mail?.html).toContain('&lt;script&gt;');
    expect(mail?.html).not.toContain(HOSTILE);
  });

  it('says nothing about requesters for a joiner', async () => {
    const h = harness(requestRecord());
    await requestApproval(h.requestDeps, approvalInput());
    expect(h.mailer.sent[0]?.text).not.toContain('Asked by');
  });
});
