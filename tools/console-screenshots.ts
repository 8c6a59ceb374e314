/**
 * Screenshots of every console page at 1280 and 390 px, for docs/console/ (linked from the README).
 * Run against a local cloud that has run the demo (`npm start`, or GATEHOUSE_PORT_BASE=... npm start):
 *
 *   npx tsx tools/console-screenshots.ts [http://127.0.0.1:4700/] [out folder]
 *
 * Signs in through the local issuer's login page as the person each page is for.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../test/support/browser.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:4700/';
const out = resolve(process.argv[3] ?? 'docs/console');

const PAGES = [
  { name: 'catalogue', path: '/catalogue', as: 'dana.lead@example.com' },
  { name: 'request', path: '/request?entitlement=group%3AProdAdmin', as: 'first-employee' },
  { name: 'my-access', path: '/my-access', as: 'first-employee' },
  { name: 'approvals', path: '/inbox', as: 'dana.lead@example.com' },
  { name: 'reviews', path: '/reviews', as: 'dana.lead@example.com' },
  { name: 'review-campaigns', path: '/reviews#campaigns-title', as: 'it-ops@example.com' },
  { name: 'people', path: '/people', as: 'it-ops@example.com' },
  { name: 'person', path: 'first-person', as: 'it-ops@example.com' },
  { name: 'workflows', path: '/workflows', as: 'it-ops@example.com' },
  { name: 'audit', path: '/audit', as: 'audit@example.com' },
] as const;

/** Starts (once) a review campaign over every entitlement, so the Reviews page has items for the demo's manager and a campaign for operators. */
async function reviewCampaign(): Promise<void> {
  const mint = await fetch(new URL('/_local/oidc/token', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'it-ops@example.com', groups: ['gatehouse-operators'] }) });
  const { access_token: token } = (await mint.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const campaign = { name: 'Access review Q4 (demo)', scope: { kind: 'all' }, dueInSeconds: 14 * 86_400, remindEverySeconds: 3 * 86_400, escalationSeconds: 3 * 86_400 };
  const res = await fetch(new URL('/api/review-campaigns', base), { method: 'POST', headers, body: JSON.stringify({ campaignId: 'screenshots-review', campaign }) });
  if (res.status !== 200 && res.status !== 409) throw new Error(`starting the review campaign answered ${res.status}: ${await res.text()}`);
  for (let tries = 0; tries < 60; tries += 1) {
    const list = (await (await fetch(new URL('/api/review-campaigns', base), { headers })).json()) as { items: { campaignId: string; state: string }[] };
    if (list.items.some((c) => c.campaignId === 'screenshots-review' && c.state === 'open')) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error('the review campaign did not open within 30 s');
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  await reviewCampaign();
  const browser = await launchChromium('browser');
  try {
    for (const width of [1280, 390]) {
      for (const shot of PAGES) {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        await page.goto(base);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(/\/_local\/oidc\/authorize/);
        const pick = shot.as === 'first-employee' ? page.locator('form:has(input[name="email"][value^="tb-"]) button').first() : page.locator(`form:has(input[name="email"][value="${shot.as}"]) button`);
        await pick.click();
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        let path: string = shot.path;
        if (path === 'first-person') {
          await page.goto(new URL('/people', base).toString());
          const link = page.getByRole('region', { name: 'People' }).getByRole('link').first();
          path = (await link.getAttribute('href')) ?? '/people';
        }
        await page.goto(new URL(path, base).toString());
        await page.waitForLoadState('networkidle');
        if (shot.name === 'audit') {
          await page.getByLabel('Entitlement id').fill('group:ProdAdmin');
          await page.getByRole('button', { name: 'Show' }).first().click();
          await page.waitForLoadState('networkidle');
        }
        await page.screenshot({ path: join(out, `${shot.name}-${width}.png`), fullPage: true });
        console.log(`${shot.name}-${width}.png`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
