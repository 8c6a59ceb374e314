import { fetchSentMails } from '../ses-local.ts';
import { waitFor } from './report.ts';

/**
 * Plays an approver with nothing but HTTP, as a browser without JavaScript would: finds
 * the mail, opens the link (GET: the page and its CSRF cookie), submits the form (POST).
 * The browser test does the same in real Chromium.
 */
const LINK = /https?:\/\/[^\s"<>]+\/approvals\/[A-Za-z0-9_-]+/;

/** The approval link in the newest mail to `approver` that mentions `about` (an employee id or name). */
export async function approvalLink(sesEndpoint: string, approver: string, about: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(`an approval mail to ${approver} about ${about}`, async () => {
    const mails = await fetchSentMails(sesEndpoint);
    const mail = mails.reverse().find((m) => m.destination.to.includes(approver) && (m.body.text ?? '').includes(about) && LINK.test(m.body.text ?? ''));
    return mail ? (LINK.exec(mail.body.text ?? '') ?? [])[0] : undefined;
  }, timeoutMs);
}

export interface Decided {
  pageStatus: number;
  decisionStatus: number;
}

export interface OpenedLink {
  status: number;
  html: string;
  /** The form's CSRF token; undefined when the page offers no decision (used, expired, unknown). */
  csrf: string | undefined;
  /** The Cookie header a browser would send back (the CSRF cookie the page set). */
  cookie: string;
}

/** GETs the link as a browser would: the page, the form's CSRF token and the cookie it set. */
export async function openLink(link: string): Promise<OpenedLink> {
  const page = await fetch(link, { redirect: 'manual' });
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: page.status, html, csrf, cookie };
}

/** POSTs the decision form (url-encoded) with `cookie` as the Cookie header, if any. */
export function submitDecision(link: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Opens the link and submits `decision`; answers the HTTP statuses seen. */
export async function decide(link: string, decision: 'approve' | 'deny', comment = ''): Promise<Decided> {
  const page = await openLink(link);
  if (!page.csrf) return { pageStatus: page.status, decisionStatus: 0 };
  const posted = await submitDecision(link, { csrf: page.csrf, decision, comment }, page.cookie);
  return { pageStatus: page.status, decisionStatus: posted.status };
}
