import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.ts';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud.ts';
import { expectNoProblems, openConsole, seriousViolations, signIn } from './console-browser.ts';

/** Signing in to the console served by the local front door: OIDC code flow with PKCE in a real browser. */

let e2e: E2eCloud;
let browser: Browser;

beforeAll(async () => {
  e2e = await startE2eCloud('console-signin');
  browser = await launchChromium('e2e');
});

afterAll(async () => {
  await browser?.close();
  await e2e?.stop();
});

describe('console sign-in', () => {
  it('serves the app at / with a strict CSP and the security headers', async () => {
    const page = { headers: { accept: 'text/html,application/xhtml+xml' } };
    const res = await fetch(e2e.cloud.consoleUrl, page);
    const deep = await fetch(`${e2e.cloud.consoleUrl}my-access`, page);
    const api = await fetch(`${e2e.cloud.consoleUrl}my-access`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(deep.status).toBe(200);
    expect(api.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('signs an operator in through the login page and shows the operator pages', async () => {
    const tab = await openConsole(browser, e2e.cloud.consoleUrl, {});
    try {
      expect(await seriousViolations(tab.page)).toEqual([]);
      await signIn(tab.page, 'it-ops@example.com');
      const nav = tab.page.getByRole('navigation', { name: 'Console' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Catalogue', 'Request', 'My access', 'Approvals', 'Reviews', 'People', 'Workflows']);
      expect(await tab.page.getByText('it-ops@example.com').count()).toBe(1);
      expect(new URL(tab.page.url()).pathname).toBe('/');
      expectNoProblems(tab);
    } finally {
      await tab.close();
    }
  });

  it('keeps a person signed out after Sign out', async () => {
    const tab = await openConsole(browser, e2e.cloud.consoleUrl, {});
    try {
      await signIn(tab.page, 'audit@example.com');
      await tab.page.getByRole('button', { name: 'Sign out' }).click();
      await tab.page.reload();
      await tab.page.getByRole('button', { name: 'Sign in' }).waitFor();
      expectNoProblems(tab);
    } finally {
      await tab.close();
    }
  });
});
