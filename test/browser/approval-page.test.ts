import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startApprovalStack, type ApprovalStack } from './support/approval-stack.ts';

/**
 * The approval page in a real browser (Debian's Chromium): open the link from the mail, read
 * the request, click Approve, and the waiting execution succeeds. Chromium is required: a
 * missing browser fails this test with instructions, it never skips it.
 */

const SCREENSHOT = '/tmp/approval-page.png';

let stack: ApprovalStack;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium('browser');
  stack = await startApprovalStack('approvals-browser');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('approval page in Chromium', () => {
  it('opens the mailed link, shows the request, approves with one click, and the execution succeeds', async () => {
    const started = await stack.start();
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') blocked.push(message.text());
    });

    const response = await page.goto(started.link);

    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Approve access for Ada Lovelace? · Gatehouse');
    const text = await page.locator('main').innerText();
    for (const shown of ['Ada Lovelace', started.employeeId, 'Platform Engineer', 'group:ProdAdmin', 'Step 1 of 1', started.approver, 'Link expires', 'Access ends']) {
      expect(text).toContain(shown);
    }
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: expect.stringMatching(/^__Host-gatehouse-csrf-/), httpOnly: true, secure: true, sameSite: 'Strict' })]);
    await page.getByLabel('Comment (required to deny, optional to approve)').fill('Welcome aboard');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await Promise.all([page.waitForURL(started.link), page.getByRole('button', { name: 'Approve' }).click()]);

    await expect(page.locator('.notice').innerText()).resolves.toContain('Approved');
    expect(await page.locator('form').count()).toBe(0);
    const done = await stack.finished(started.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.parsed.results).toEqual({
      approvals: [{ approver: started.approver, decision: 'approved', decidedAt: expect.any(String), comment: 'Welcome aboard' }],
    });
    expect(blocked).toEqual([]);
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-approved.png'), fullPage: true });
    await context.close();
  });

  it('an N-of-M step: the second approver reads "1 of 2 approvals so far: <first> approved (comment)", and their approval finishes it', async () => {
    const started = await stack.start({ approvers: (id) => [{ kind: 'quorum', approvers: [`ana-${id}@example.com`, `ben-${id}@example.com`], required: 2, entitlementIds: ['group:ProdAdmin'] }] });
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
    const page = await context.newPage();

    await page.goto(started.link);
    expect(await page.locator('main').innerText()).toContain('as one of 2 approvers of group:ProdAdmin, any 2 of whom approve');
    await page.getByLabel('Comment (required to deny, optional to approve)').fill('Ticket OPS-7 checks out');
    await Promise.all([page.waitForURL(started.link), page.getByRole('button', { name: 'Approve' }).click()]);
    await expect(page.locator('.notice').innerText()).resolves.toContain('Your decision counts: 1 of 2 approvals so far');
    expect((await stack.describe(started.executionArn)).status).toBe('RUNNING');

    const second = `ben-${started.id}@example.com`;
    const link = /https?:\/\/[^\s"<>]+\/approvals\/[A-Za-z0-9_-]{43}/.exec((await stack.mailTo(second)).body.text ?? '')?.[0] ?? '';
    await page.goto(link);
    expect(await page.locator('main').innerText()).toContain(`1 of 2 approvals so far: ana-${started.id}@example.com approved (Ticket OPS-7 checks out)`);
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-quorum.png'), fullPage: true });
    await Promise.all([page.waitForURL(link), page.getByRole('button', { name: 'Approve' }).click()]);

    await expect(page.locator('.notice').innerText()).resolves.toContain('Approved with 2 of 2 approvals');
    expect((await stack.finished(started.executionArn)).status).toBe('SUCCEEDED');
    await context.close();
  });
});
