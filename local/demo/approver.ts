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

/** Opens the link and submits `decision`; answers the HTTP statuses seen. */
export async function decide(link: string, decision: 'approve' | 'deny', comment = ''): Promise<Decided> {
  const page = await fetch(link, { redirect: 'manual' });
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!csrf) return { pageStatus: page.status, decisionStatus: 0 };
  const posted = await fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrf, decision, comment }).toString(),
  });
  return { pageStatus: page.status, decisionStatus: posted.status };
}
