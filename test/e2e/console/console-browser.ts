import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The console in headless Chromium: a signed-in page per person (through the local issuer's
 * login page, as a person would), every console message and failed request collected so a test
 * can demand none, and axe-core's scan.
 */
export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** console.error / console.warning messages, page errors, and requests that failed or answered >= 400 (with `allowStatus` excepted). */
  problems: string[];
  close(): Promise<void>;
}

export async function openConsole(browser: Browser, consoleUrl: string, options: { width?: number; deviceScaleFactor?: number; allowStatus?: number[]; timezoneId?: string } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, deviceScaleFactor: options.deviceScaleFactor ?? 1, acceptDownloads: true, ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}) });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = new Set(options.allowStatus ?? []);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A fetch still in flight when the test navigates away is cancelled by the browser (ERR_ABORTED): not a failure a person sees.
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed.has(response.status())) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(consoleUrl);
  return { page, context, problems, close: () => context.close() };
}

/** Signs in on the local issuer's login page as `email` (a listed person) and waits for the console. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/_local\/oidc\/authorize/);
  await page.locator(`form:has(input[name="email"][value="${email}"]) button`).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** axe-core on the page as it is now; serious and critical violations, described. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export function expectNoProblems(console: ConsolePage): void {
  expect(console.problems).toEqual([]);
}
