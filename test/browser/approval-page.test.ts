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
});
