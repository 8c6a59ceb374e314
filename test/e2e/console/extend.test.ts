import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload } from '../../../local/demo/hris.ts';
import { until } from '../../support/poll.ts';
import { launchChromium } from '../../support/browser.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../support/e2e-cloud.ts';
import { expectNoProblems, openConsole, seriousViolations, signIn } from './console-browser.ts';

/**
 * The Extend control on My access (issue #17), in headless Chromium on the local cloud: the holder of a
 * low-risk time-bound grant asks for two hours more with a reason; the extension is auto-approved as a
 * new request for the total would be, and the grant's end moves by two hours. The page is scanned by
 * axe-core and a screenshot is kept in .gatehouse/screenshots/ for a person to look at.
 */

let e2e: E2eCloud;
let browser: Browser;

beforeAll(async () => {
  e2e = await startE2eCloud('console-extend');
  browser = await launchChromium('e2e');
});

afterAll(async () => {
  await browser?.close();
  await e2e?.stop();
});

describe('console: extend a time-bound grant', () => {
  it('asks for more time from My access and the end moves', async () => {
    const id = employeeId('cext');
    await e2e.hris.post(hirePayload({ id, role: 'sales', managerEmail: 'dana.lead@example.com' }), `${id}-hire`);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
    const token = await e2e.cloud.issueToken({ email: userNameOf(id) });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const asked = await fetch(`${e2e.frontDoor}/access-requests`, { method: 'POST', headers: { ...headers, 'idempotency-key': `${id}-grant` }, body: JSON.stringify({ entitlementId: 'group:ProdReadOnly', duration: 'PT1H', justification: 'reading production logs' }) });
    const { requestId } = (await asked.json()) as { requestId: string };
    const view = async () => (await (await fetch(`${e2e.frontDoor}/access-requests/${requestId}`, { headers })).json()) as { status: string; expiresAt?: string };
    const granted = await until(view, (v) => v.status === 'granted', { timeoutMs: 20_000, everyMs: 300 });

    const tab = await openConsole(browser, e2e.cloud.consoleUrl);
    try {
      await signIn(tab.page, userNameOf(id));
      await tab.page.goto(new URL('/my-access', e2e.cloud.consoleUrl).toString());
      const held = tab.page.getByRole('region', { name: 'Entitlements you hold now' }).getByRole('row', { name: /ProdReadOnly/ }).filter({ hasText: 'Time-bound grant' });
      await held.getByRole('button', { name: 'Extend' }).click();
      const form = held.getByRole('form', { name: 'Extend this grant' });
      await form.getByLabel('By').selectOption('PT2H');
      await form.getByLabel('Why you need longer').fill('the log review takes longer');
      mkdirSync('.gatehouse/screenshots', { recursive: true });
      await tab.page.screenshot({ path: '.gatehouse/screenshots/my-access-extend-form.png', fullPage: true });
      expect(await seriousViolations(tab.page)).toEqual([]);
      await form.getByRole('button', { name: 'Ask to extend' }).click();
      await expect.poll(() => held.getByRole('status').innerText(), { timeout: 10_000 }).toContain('Extension asked');

      const moved = await until(view, (v) => v.expiresAt !== granted.expiresAt, { timeoutMs: 20_000, everyMs: 300 });
      expect(Date.parse(moved.expiresAt ?? '') - Date.parse(granted.expiresAt ?? '')).toBe(2 * 3_600_000);
      await tab.page.screenshot({ path: '.gatehouse/screenshots/my-access-extended.png', fullPage: true });
      expectNoProblems(tab);
    } finally {
      await tab.close();
    }
  }, 90_000);
});
