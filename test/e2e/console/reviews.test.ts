import { readFileSync } from 'node:fs';
import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload } from '../../../local/demo/hris.ts';
import { accessOf } from '../../../local/demo/inspect.ts';
import { finishedExecution } from '../../../local/demo/run.ts';
import { runReviewCli } from '../../../tools/review-cli.ts';
import { launchChromium } from '../../support/browser.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../support/e2e-cloud.ts';
import { expectNoProblems, openConsole, seriousViolations, signIn, type ConsolePage } from './console-browser.ts';

/**
 * The console's Reviews page on the whole local cloud: an operator starts a campaign from the
 * page, reminds its reviewers, closes it early and downloads its evidence (the CSV equals the
 * CLI's report, the JSON says the snapshot is complete); a lead reviews an engineer's items by
 * name at 390 px with the keyboard alone (a revoke without a reason is stopped and the reason box
 * gets focus; with one it is decided and the access is gone at once). axe-core on both pages; no
 * console errors.
 */

const VP = 'vic.vp@example.com';
const OPERATOR = 'it-ops@example.com';
let e2e: E2eCloud;
let browser: Browser;
const open: ConsolePage[] = [];

beforeAll(async () => {
  e2e = await startE2eCloud('console-reviews');
  browser = await launchChromium('e2e');
});

afterAll(async () => {
  for (const tab of open) await tab.close().catch(() => undefined);
  await browser?.close();
  await e2e?.stop();
});

async function hire(id: string, managerEmail: string): Promise<void> {
  expect((await e2e.hris.post(hirePayload({ id, role: 'engineer', managerEmail }), `${id}-hire`)).status).toBe(202);
  expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
}

async function as(email: string, width = 1280): Promise<ConsolePage> {
  const tab = await openConsole(browser, e2e.cloud.consoleUrl, { width, timezoneId: 'UTC' });
  open.push(tab);
  await signIn(tab.page, email);
  await tab.page.goto(new URL('/reviews', e2e.cloud.consoleUrl).toString());
  await tab.page.getByRole('heading', { level: 1, name: 'Access reviews' }).waitFor();
  return tab;
}

async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page)).toEqual([]);
  const sideways = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
  expect(sideways, 'sideways scroll in px').toBe(0);
}

const focusedTag = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName ?? '');

describe('console reviews', () => {
  it('an operator runs a campaign from the page and a reviewer decides by name with the keyboard at 390 px', async () => {
    const lead = employeeId('rlead');
    const eng = employeeId('reng');
    const leadEmail = userNameOf(lead);
    await Promise.all([hire(lead, VP), hire(eng, leadEmail)]);

    // The operator starts it over two entitlements, on a compressed clock (a 5 s check cadence).
    const operator = await as(OPERATOR);
    const op = operator.page;
    await expect.poll(() => op.getByText('No campaigns yet').count(), { timeout: 10_000 }).toBe(1);
    const form = op.getByRole('form', { name: 'Start a campaign' });
    await form.getByLabel('Name').fill(`Console review ${lead}`);
    await form.getByLabel('Scope').selectOption('entitlements');
    await form.getByLabel('Entitlement ids').fill('group:Engineering, group:ProdReadOnly');
    for (const [legend, n] of [['Reviewers answer within', '60'], ['Remind every', '5'], ['Then escalate for', '30']] as const) {
      const group = form.getByRole('group', { name: legend });
      await group.getByLabel('Number').fill(n);
      await group.getByLabel('Unit').selectOption('seconds');
    }
    // The page names the campaign after the start time and says which one it started.
    await form.getByRole('button', { name: 'Start campaign' }).click();
    await expect.poll(() => op.getByRole('status').innerText(), { timeout: 10_000 }).toMatch(/Started campaign review-\d{14}/);
    const started = /Started campaign (review-\d{14})/.exec(await op.getByRole('status').innerText())![1]!;
    const row = op.getByRole('row', { name: new RegExp(started) });
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('4 items: 4 pending');
    await row.getByRole('button', { name: /Remind reviewers of/ }).click();
    // The lead has the engineer's two items, the VP the lead's own two (a person never reviews their own access).
    await expect.poll(() => op.getByRole('status').innerText(), { timeout: 10_000 }).toContain('Reminded 2 reviewers of 4 open items');
    await expectAccessible(op);

    // The lead, on a phone, with the keyboard: the engineer's two items, by name; never the lead's own.
    const reviewer = await as(leadEmail, 390);
    const page = reviewer.page;
    const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 4 }) });
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(2);
    expect((await cards.allInnerTexts()).join('\n')).not.toContain(leadEmail);
    expect(await cards.first().innerText()).toContain(`Demo ${eng}`);
    const revokeCard = cards.filter({ hasText: 'group:ProdReadOnly' });
    const keepCard = cards.filter({ hasText: 'group:Engineering' });
    expect(await revokeCard.innerText()).toMatch(/group:ProdReadOnly[\s\S]*the engineer role[\s\S]*Held since/);
    expect(await page.getByRole('heading', { level: 3 }).filter({ hasText: `Console review ${lead}` }).innerText()).toMatch(/2 items, decide by/);
    expect(await revokeCard.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expectAccessible(page);

    // Revoke with no reason: stopped before anything is sent, and the reason box has focus.
    await revokeCard.getByRole('button', { name: 'Revoke' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => revokeCard.getByRole('alert').innerText()).toContain('Say why this access should be revoked');
    expect(await focusedTag(page)).toBe('TEXTAREA');
    await page.keyboard.type('Moved to the data team in November');
    await page.keyboard.press('Tab'); // Keep
    await page.keyboard.press('Tab'); // Revoke
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 10_000 }).toContain('Revoked 1 item.');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);
    await keepCard.getByRole('button', { name: 'Keep' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('Nothing is waiting for your review').count(), { timeout: 10_000 }).toBe(1);
    expectNoProblems(reviewer);

    // The revoke removed the access at once, before any deadline.
    await expect.poll(async () => (await accessOf(eng, userNameOf(eng))).groups, { timeout: 10_000 }).not.toContain('ProdReadOnly');
    // The operator closes it early: the VP's two unanswered items get the low-risk default (keep).
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('2 pending, 1 kept, 1 revoked');
    await row.getByRole('button', { name: /^Close/ }).click();
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toMatch(/closed[\s\S]*0 pending, 3 kept, 1 revoked \(2 by default\)/);
    expect((await finishedExecution(e2e.sfn, 'access-review', started, 30_000)).status).toBe('SUCCEEDED');
    expect((await accessOf(eng, userNameOf(eng))).groups).toEqual(expect.arrayContaining(['Engineering']));
    expect((await accessOf(lead, leadEmail)).groups).toEqual(expect.arrayContaining(['Engineering', 'ProdReadOnly']));

    const [csv] = await Promise.all([op.waitForEvent('download'), row.getByRole('button', { name: /^CSV/ }).click()]);
    const [json] = await Promise.all([op.waitForEvent('download'), row.getByRole('button', { name: /^JSON/ }).click()]);
    let fromCli = '';
    const code = await runReviewCli(['report', started], { stdout: (t) => void (fromCli += t), stderr: () => {} }, { env: { ...process.env, ...e2e.cloud.env } });
    expect(code).toBe(0);
    expect(readFileSync(await csv.path(), 'utf8')).toBe(fromCli);
    expect(fromCli).toContain(`${eng},group:ProdReadOnly,role:engineer,${leadEmail},revoke,reviewer,Moved to the data team in November`);
    const evidence = JSON.parse(readFileSync(await json.path(), 'utf8')) as { complete: boolean; itemCount: number; counts: Record<string, number> };
    expect(evidence).toMatchObject({ complete: true, itemCount: 4, counts: { keep: 3, revoke: 1, pending: 0, defaulted: 2 } });
    await expectAccessible(op);
    expectNoProblems(operator);
    // Hang guard: three hires, two browsers, a campaign on a compressed clock, on 2 shared cores.
  }, 120_000);

  it('an operator creates a recurring campaign at 390 px with the keyboard, is told a bad rate() is wrong, then pauses and resumes it', async () => {
    const scheduler = new SchedulerClient({});
    const schedule = () => scheduler.send(new GetScheduleCommand({ Name: 'review-prod-quarterly', GroupName: 'gatehouse' }));
    const operator = await as(OPERATOR, 390);
    const op = operator.page;
    const list = op.locator('section[aria-labelledby="recurring-title"]');
    await expect.poll(() => op.getByText('No recurring campaigns').count(), { timeout: 10_000 }).toBe(1);
    const form = op.getByRole('form', { name: 'Start a campaign' });
    await form.getByLabel('Name', { exact: true }).fill('Production access, quarterly');
    await form.getByLabel('Repeat on a schedule').focus();
    await op.keyboard.press('Space');
    expect(await form.getByRole('button', { name: 'Create recurring campaign' }).count()).toBe(1);
    await form.getByLabel('Schedule name').fill('prod-quarterly');
    await form.getByLabel('Repeats').fill('rate(1 days)');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Time zone').press('Enter');
    // Refused on the page, naming the rule, with the field focused; nothing is sent or scheduled.
    await expect.poll(() => form.getByRole('alert').innerText(), { timeout: 10_000 }).toContain('unit singular for 1 and plural above');
    expect(await focusedTag(op)).toBe('INPUT');
    await expect(schedule()).rejects.toBeInstanceOf(ResourceNotFoundException);

    await form.getByLabel('Repeats').fill('cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)');
    await form.getByLabel('Repeats').press('Enter');
    await expect.poll(() => op.getByRole('status').innerText(), { timeout: 10_000 }).toContain('Created recurring campaign prod-quarterly');
    await expect.poll(() => list.innerText(), { timeout: 10_000 }).toMatch(/Production access, quarterly[\s\S]*prod-quarterly[\s\S]*Europe\/Berlin[\s\S]*active/);
    expect(await schedule()).toMatchObject({ State: 'ENABLED', ScheduleExpression: 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', ScheduleExpressionTimezone: 'Europe/Berlin' });
    await expectAccessible(op);

    // Pause with the keyboard: the schedule is DISABLED, its definition kept; resume turns it on again.
    await list.getByRole('button', { name: 'Pause prod-quarterly' }).focus();
    await op.keyboard.press('Enter');
    await expect.poll(() => list.innerText(), { timeout: 10_000 }).toContain('paused');
    const paused = await schedule();
    expect(paused).toMatchObject({ State: 'DISABLED', ScheduleExpression: 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', ScheduleExpressionTimezone: 'Europe/Berlin' });
    expect(JSON.parse(paused.Target!.Input!)).toMatchObject({ campaign: { name: 'Production access, quarterly' } });
    await list.getByRole('button', { name: 'Resume prod-quarterly' }).focus();
    await op.keyboard.press('Enter');
    await expect.poll(async () => (await schedule()).State, { timeout: 10_000 }).toBe('ENABLED');
    await expect.poll(() => list.innerText(), { timeout: 10_000 }).toContain('active');
    await expectAccessible(op);
    expectNoProblems(operator);
    scheduler.destroy();
  }, 60_000);
});
