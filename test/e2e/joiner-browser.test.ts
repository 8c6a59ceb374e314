import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { executionArn } from '../../local/core/arn.ts';
import { approvalLink } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { launchChromium } from '../support/browser.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * High-risk hires on the whole local cloud, decided the way an approver does it: the link from
 * the mail opened in real headless Chromium (Debian's package), the button clicked. Chromium is
 * required: a missing browser fails this file with instructions, it is never skipped.
 */

const MANAGER = 'dana.lead@example.com';

let e2e: E2eCloud;
let browser: Browser;

beforeAll(async () => {
  [browser, e2e] = await Promise.all([launchChromium('e2e'), startE2eCloud('browser')]);
});

afterAll(async () => {
  await browser?.close();
  await e2e?.stop();
});

/** Opens the link in a fresh browser profile, checks what the page shows, clicks `button`; answers the notice shown after the POST. */
async function decideInBrowser(expect: ExpectStatic, link: string, shown: string[], button: 'Approve' | 'Deny', comment: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    const text = await page.locator('main').innerText();
    for (const part of shown) expect(text).toContain(part);
    await page.getByLabel('Comment (required to deny, optional to approve)').fill(comment);
    const [posted] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
    expect(posted.status()).toBe(303);
    const notice = await page.locator('.notice').innerText();
    expect(await page.locator('form').count()).toBe(0);
    return notice;
  } finally {
    await context.close();
  }
}

const statusOf = async (name: string) => (await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('joiner', name) }))).status;

describe.concurrent('high-risk hires decided in Chromium', () => {
  it('waits for every approver in the chain, each approving on the page, then provisions everything', async ({ expect }) => {
    const id = employeeId('dsc');
    const name = `generic-${id}-hire`;
    const chain = [MANAGER, 'data-owners@example.com'];

    const posted = await e2e.hris.post(hirePayload({ id, role: 'data-scientist', managerEmail: MANAGER }), `${id}-hire`);
    expect(posted.status).toBe(202);

    for (const [step, approver] of chain.entries()) {
      const link = await approvalLink(e2e.cloud.endpoints.ses, approver, id);
      expect(await statusOf(name)).toBe('RUNNING');
      expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined, instances: [], activeGrants: 0 });
      const shown = [`Demo ${id}`, 'Data scientist', 'group:DataScience', 'workstation:gpu', `Step ${step + 1} of ${chain.length}`, approver];
      const notice = await decideInBrowser(expect, link, shown, 'Approve', `approved by step ${step + 1}`);
      expect(notice).toContain('Approved');
    }

    const execution = await finishedJoiner(e2e.sfn, name);
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '{}') as { results?: { approvals?: unknown } };
    expect(output.results?.approvals).toEqual(
      chain.map((approver, step) => ({ approver, decision: 'approved', decidedAt: expect.any(String), comment: `approved by step ${step + 1}` })),
    );
    const want = expectedAccess('data-scientist');
    const access = await accessOf(id, userNameOf(id));
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(want.groups);
    expect(access.instances).toEqual([{ id: expect.any(String), state: 'running' }]);
    expect(access.volumes).toEqual([{ id: expect.any(String), state: 'in-use', attachedTo: [access.instances[0]?.id] }]);
    expect(access.activeGrants).toBe(want.entitlements);
    expect(access.auditChainOk).toBe(true);
    expect(access.auditKinds.filter((kind) => kind === 'approval.approved')).toHaveLength(chain.length);
  });

  it('ends a hire the manager denies on the page with nothing provisioned and no mail to the next approver', async ({ expect }) => {
    const id = employeeId('den');
    const name = `generic-${id}-hire`;

    const posted = await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), `${id}-hire`);
    expect(posted.status).toBe(202);
    const link = await approvalLink(e2e.cloud.endpoints.ses, MANAGER, id);
    const notice = await decideInBrowser(expect, link, [`Demo ${id}`, 'Finance administrator', 'group:BillingAdmin', 'Step 1 of 2', MANAGER], 'Deny', 'Not this role');

    expect(notice).toContain('Denied');
    const execution = await finishedJoiner(e2e.sfn, name);
    // Denied is a business outcome (the "Denied" succeed state), not a failed execution.
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ outcome: { outcome: 'approval.denied', status: 'denied' } });
    const access = await accessOf(id, userNameOf(id));
    expect(access).toMatchObject({ userId: undefined, users: 0, groups: [], instances: [], volumes: [], activeGrants: 0, auditChainOk: true });
    expect(access.auditKinds).toContain('approval.denied');
    expect(access.auditKinds).not.toContain('grant.applied');
    // The chain stops at a denial: the second approver is never asked, also not after the run ended.
    await sleep(1_000);
    const toOwners = (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((m) => m.destination.to.includes('finance-owners@example.com') && (m.body.text ?? '').includes(id)).map((m) => m.subject);
    expect(toOwners).toEqual([]);
    const later = await accessOf(id, userNameOf(id));
    expect(later.auditKinds.filter((kind) => kind === 'approval.requested')).toHaveLength(1);
    expect(later.auditKinds).toEqual(access.auditKinds);
  });
});
