import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload } from '../../../local/demo/hris.ts';
import { launchChromium } from '../../support/browser.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../support/e2e-cloud.ts';
import { expectNoProblems, openConsole, seriousViolations, signIn } from './console-browser.ts';

/**
 * What a person notices: every page works at 390 px and at 200 % zoom (1280 px at 200 % is a
 * 640 CSS px viewport) without sideways scrolling, passes axe-core, shows times with the UTC value
 * on hover; a request can be made with the keyboard alone.
 */

let e2e: E2eCloud;
let browser: Browser;
let employee: string;
let person: string;

const PAGES: [string, string][] = [
  ['/catalogue', 'everyone'],
  ['/request', 'everyone'],
  ['/my-access', 'everyone'],
  ['/inbox', 'everyone'],
  ['/reviews', 'everyone'],
  ['/reviews', 'operator'],
  ['/people', 'operator'],
  ['person', 'operator'],
  ['/workflows', 'operator'],
  ['/audit', 'auditor'],
];

beforeAll(async () => {
  e2e = await startE2eCloud('console-quality');
  browser = await launchChromium('e2e');
  person = employeeId('q');
  employee = userNameOf(person);
  expect((await e2e.hris.post(hirePayload({ id: person, role: 'engineer' }), `${person}-hire`)).status).toBe(202);
  expect((await finishedJoiner(e2e.sfn, `generic-${person}-hire`)).status).toBe('SUCCEEDED');
});

afterAll(async () => {
  await browser?.close();
  await e2e?.stop();
});

const who = (kind: string) => (kind === 'operator' ? 'it-ops@example.com' : kind === 'auditor' ? 'audit@example.com' : employee);

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
}

describe('console quality', () => {
  for (const [label, width, scale] of [['390 px', 390, 1], ['200 % zoom', 640, 2]] as const) {
    it(`fits every page at ${label} with no serious or critical axe violations`, async () => {
      const results: string[] = [];
      // One signed-in tab per kind of person, visiting that person's pages.
      for (const kind of ['everyone', 'operator', 'auditor']) {
        const tab = await openConsole(browser, e2e.cloud.consoleUrl, { width, deviceScaleFactor: scale });
        try {
          await signIn(tab.page, who(kind));
          for (const [path] of PAGES.filter(([, k]) => k === kind)) {
            await tab.page.goto(new URL(path === 'person' ? `/people/${person}` : path, e2e.cloud.consoleUrl).toString());
            await tab.page.getByRole('heading', { level: 1 }).waitFor();
            await tab.page.waitForLoadState('networkidle');
            const sideways = await overflow(tab.page);
            if (sideways > 0) results.push(`${path}: ${sideways} px sideways scroll`);
            results.push(...(await seriousViolations(tab.page)).map((v) => `${path}: ${v}`));
          }
          expectNoProblems(tab);
        } finally {
          await tab.close();
        }
      }
      expect(results).toEqual([]);
      // Hang guard: three sign-ins and eight pages scanned by axe on 2 shared cores.
    }, 150_000);
  }

  it('shows local times with the exact UTC value on hover', async () => {
    const tab = await openConsole(browser, e2e.cloud.consoleUrl, { timezoneId: 'Asia/Tokyo' });
    try {
      await signIn(tab.page, employee);
      const since = tab.page.getByRole('region', { name: 'Entitlements you hold now' }).locator('time').first();
      const [title, datetime, text] = await Promise.all([since.getAttribute('title'), since.getAttribute('datetime'), since.innerText()]);
      expect(title).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      const utcHour = new Date(datetime ?? '').getUTCHours();
      const tokyoHour = (utcHour + 9) % 24;
      expect(text).toContain(String(tokyoHour % 12 === 0 ? 12 : tokyoHour % 12));
    } finally {
      await tab.close();
    }
  });

  it('lets a person sign in and request access with the keyboard alone', async () => {
    const tab = await openConsole(browser, e2e.cloud.consoleUrl);
    const { page } = tab;
    try {
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Sign in
      await page.waitForURL(/\/_local\/oidc\/authorize/);
      const choice = page.locator(`form:has(input[name="email"][value="${employee}"]) button`);
      await choice.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      // The landing page moves focus to its heading when it mounts (ui.tsx PageTitle); on a loaded
      // machine that can come after the first Tab, so start from where a keyboard user lands.
      await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName === 'H1');
      // Skip link, brand, then the menu: Catalogue, Request. Tab until Request has focus (a re-render may
      // put focus back at the start of the page on a loaded machine) and check the way there.
      const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent ?? '');
      const path: string[] = [];
      while (path.at(-1) !== 'Request' && path.length < 12) {
        await page.keyboard.press('Tab');
        path.push(await focused());
      }
      expect(path).toContain('Skip to content');
      expect(path.slice(-2)).toEqual(['Catalogue', 'Request']);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/request$/);
      await page.getByLabel('Entitlement').waitFor(); // the catalogue has loaded; focus is on the page's heading
      await page.keyboard.press('Tab'); // entitlement
      await page.keyboard.press('ArrowDown'); // first requestable: ProdReadOnly
      await page.keyboard.press('Tab'); // duration
      await page.keyboard.press('Tab'); // justification
      await page.keyboard.type('Reading production logs for ticket 5521');
      await page.getByRole('region', { name: 'Who will approve' }).getByText('No approval needed').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Submit request
      await page.waitForURL(/\/my-access$/);
      await expect.poll(() => page.getByRole('row', { name: /group:ProdReadOnly/ }).innerText(), { timeout: 30_000 }).toMatch(/granted|submitted|approved/);
      expectNoProblems(tab);
    } finally {
      await tab.close();
    }
  });
});
