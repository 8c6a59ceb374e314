import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../functions/lib/runtime/audit-export-cli.ts';
import { fastForwardClock } from '../../../local/core/emulator-clock.ts';
import { hirePayload } from '../../../local/demo/hris.ts';
import { launchChromium } from '../../support/browser.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../support/e2e-cloud.ts';
import { expectNoProblems, openConsole, seriousViolations, signIn, type ConsolePage } from './console-browser.ts';

/**
 * One test per person's journey in the console, in headless Chromium on the whole local cloud:
 * requester (granted, then expired on time: the Scheduler's clock is fast-forwarded; a pending request withdrawn), approvers (approve and deny from the inbox), operator (kill switch), auditor (CSV
 * equals the CLI's). Every page visited is scanned by axe-core; no console errors are allowed.
 */

const MANAGER = 'dana.lead@example.com';
const PLATFORM_OWNERS = 'platform-owners@example.com';
let e2e: E2eCloud;
let browser: Browser;
/** The Scheduler fires the expiry schedule when the test moves this clock past it. */
const schedulerClock = fastForwardClock();
const open: ConsolePage[] = [];

async function hire(id: string, role = 'engineer'): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role, managerEmail: MANAGER }), `${id}-hire`);
  expect(posted.status).toBe(202);
  expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
}

async function as(email: string, path = '/'): Promise<ConsolePage> {
  const tab = await openConsole(browser, e2e.cloud.consoleUrl);
  open.push(tab);
  await signIn(tab.page, email);
  if (path !== '/') await tab.page.goto(new URL(path, e2e.cloud.consoleUrl).toString());
  return tab;
}

async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page)).toEqual([]);
}

beforeAll(async () => {
  e2e = await startE2eCloud('console-journeys', { schedulerClock });
  browser = await launchChromium('e2e');
});

afterAll(async () => {
  for (const tab of open) await tab.close().catch(() => undefined);
  await browser?.close();
  await e2e?.stop();
});

describe('console journeys', () => {
  it('a requester finds an entitlement, requests it, sees it wait, sees it granted after both approvers approve in the console, and sees it expire on time', async () => {
    const id = employeeId('req');
    await hire(id);
    const requester = await as(userNameOf(id), '/catalogue');
    const { page } = requester;
    await page.getByLabel('Find an entitlement').fill('admin');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Request ProdAdmin' }).click();
    await page.getByLabel('Why you need it').fill('INC-4242: restart the payments service');
    await expect.poll(() => page.getByRole('region', { name: 'Who will approve' }).innerText()).toContain(MANAGER);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/\/my-access$/);
    const row = page.getByRole('row', { name: /group:ProdAdmin/ });
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('pending approval');
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain(MANAGER);
    await expectAccessible(page);

    for (const approver of [MANAGER, PLATFORM_OWNERS]) {
      const inbox = await as(approver, '/inbox');
      const card = inbox.page.getByRole('listitem').filter({ hasText: id });
      await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
      await expectAccessible(inbox.page);
      await card.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(0);
      expectNoProblems(inbox);
    }

    // No reload: the page polls.
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('granted');
    const held = page.getByRole('region', { name: 'Entitlements you hold now' }).getByRole('row', { name: /ProdAdmin/ });
    await expect.poll(() => held.count(), { timeout: 10_000 }).toBe(1);
    expect(await held.getByRole('button', { name: 'Revoke now' }).count()).toBe(1);
    // Two hours later (the default duration; the Scheduler's clock fast-forwarded, the rest real):
    // the expiry schedule fires, the grant ends through the time-bound revoke, and the page says so.
    schedulerClock.advance(2 * 3_600_000 + 60_000);
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('expired');
    await expect.poll(() => held.count(), { timeout: 30_000 }).toBe(0);
    expectNoProblems(requester);
    // Hang guard for a whole-workflow journey on 2 shared cores (hire, two approvals, grant, revoke).
  }, 150_000);

  it('an approver denies a request from the inbox and the requester sees it denied', async () => {
    const id = employeeId('deny');
    await hire(id);
    const token = await e2e.cloud.issueToken({ email: userNameOf(id) });
    const asked = await fetch(`${e2e.frontDoor}/access-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `${id}-raw` },
      body: JSON.stringify({ entitlementId: 'group:CustomerDataRaw', duration: 'PT2H', justification: 'Quarterly churn analysis on raw events' }),
    });
    expect(asked.status).toBe(202);
    const { requestId } = (await asked.json()) as { requestId: string };

    const inbox = await as(MANAGER, '/inbox');
    const card = inbox.page.getByRole('listitem').filter({ hasText: id });
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    expect(await card.innerText()).toContain('Quarterly churn analysis on raw events');
    // A deny needs a reason: without one nothing is sent and the reason box gets focus.
    await card.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => card.getByRole('alert').innerText()).toContain('Say why you deny this request');
    expect(await card.getByLabel('Reason (required to deny; kept in the audit trail)').evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await card.getByLabel('Reason (required to deny; kept in the audit trail)').fill('use the pseudonymised set');
    await card.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(0);

    const requester = await as(userNameOf(id), '/my-access');
    const row = requester.page.getByRole('row', { name: /group:CustomerDataRaw/ });
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('denied');
    const status = (await (await fetch(`${e2e.frontDoor}/access-requests/${requestId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string };
    expect(status.status).toBe('denied');
    expectNoProblems(inbox);
    expectNoProblems(requester);
  });

  it('a requester withdraws a pending request from My access: the row says withdrawn, the button goes, the approver\'s inbox empties', async () => {
    const id = employeeId('wdr');
    await hire(id);
    const token = await e2e.cloud.issueToken({ email: userNameOf(id) });
    const asked = await fetch(`${e2e.frontDoor}/access-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `${id}-withdraw` },
      body: JSON.stringify({ entitlementId: 'group:CustomerDataRaw', duration: 'PT2H', justification: 'Churn analysis, maybe not needed' }),
    });
    expect(asked.status).toBe(202);

    const requester = await as(userNameOf(id), '/my-access');
    const { page } = requester;
    const row = page.getByRole('row', { name: /group:CustomerDataRaw/ });
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain(MANAGER);
    const withdraw = row.getByRole('button', { name: 'Withdraw' });
    expect(await withdraw.count()).toBe(1);
    await expectAccessible(page);
    await withdraw.click();
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('withdrawn');
    expect(await row.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await expectAccessible(page);

    const inbox = await as(MANAGER, '/inbox');
    await inbox.page.waitForLoadState('networkidle');
    expect(await inbox.page.getByRole('listitem').filter({ hasText: id }).count()).toBe(0);
    expectNoProblems(requester);
    expectNoProblems(inbox);
  });

  it('an operator finds a person, pulls the kill switch, and their access disappears from the page', async () => {
    const id = employeeId('kill');
    await hire(id);
    const operator = await as('it-ops@example.com', '/people');
    const { page } = operator;
    await page.getByLabel('Name, e-mail or employee id').fill(id.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    // People are listed by the name the HRIS sent (the demo HRIS calls everyone "Demo <id>"), with their id beside it.
    await page.getByRole('link', { name: `Demo ${id}` }).click();
    const holdings = page.getByRole('region', { name: `What Demo ${id} holds` });
    await expect.poll(() => holdings.getByRole('row').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    await expectAccessible(page);
    await page.getByLabel('Reason (kept in the audit trail)').fill('laptop stolen; revoke everything now');
    await page.getByRole('button', { name: 'End all access now' }).click();
    await expect.poll(() => page.getByText('Holds nothing.').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: `Demo ${id}'s audit timeline` }).innerText(), { timeout: 10_000 }).toContain('laptop stolen');
    expectNoProblems(operator);
  });

  it("an auditor downloads the CSV of holders at a moment and it equals the CLI's output for the same export", async () => {
    const id = employeeId('aud');
    await hire(id);
    const at = new Date(Date.now() + 60_000);
    at.setUTCSeconds(0, 0);
    const auditor = await openConsole(browser, e2e.cloud.consoleUrl, { timezoneId: 'UTC' });
    open.push(auditor);
    await signIn(auditor.page, 'audit@example.com');
    const { page } = auditor;
    await page.goto(new URL('/audit', e2e.cloud.consoleUrl).toString());
    await expect.poll(() => page.getByText(/chains intact/).count(), { timeout: 20_000 }).toBe(1);
    await expectAccessible(page);
    // The log by person: their partition, a page at a time (a Query, not a Scan of the table).
    const log = page.locator('section[aria-labelledby="audit-log"]');
    await log.getByLabel('Employee id').fill(id);
    await log.getByLabel('Employee id').press('Enter');
    await expect.poll(() => log.getByRole('region', { name: 'Audit log entries' }).innerText(), { timeout: 10_000 }).toContain('grant.applied');
    expect(await log.getByText(/entries shown; that is all of them/).count()).toBe(1);
    const holders = page.locator('section[aria-labelledby="q-holders"]');
    await holders.getByLabel('Entitlement id').fill('group:Engineering');
    await holders.getByLabel('At (your local time)').fill(at.toISOString().slice(0, 16));
    const [download] = await Promise.all([page.waitForEvent('download'), holders.getByRole('button', { name: 'Download CSV' }).click()]);
    const fromConsole = readFileSync(await download.path(), 'utf8');

    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-audit-'));
    try {
      const quiet = { stdout: () => {}, stderr: () => {} };
      expect(await runCli(['export', '--out', dir, '--table', e2e.cloud.env.AUDIT_TABLE_NAME!], quiet)).toBe(0);
      let fromCli = '';
      expect(await runCli(['query', 'holders', 'group:Engineering', '--at', at.toISOString(), '--export', dir, '--format', 'csv'], { stdout: (t) => (fromCli += t), stderr: () => {} })).toBe(0);
      expect(fromConsole).toBe(fromCli);
      expect(fromConsole).toContain(id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expectNoProblems(auditor);
  });
});
