import { PAGE_STYLE, html } from '../shared/html.ts';
import type { ReviewMail } from './ports.ts';

/** The reminder and escalation mails: what is asked, by when, and the reviewer's own link. */
export function reviewMailContent(mail: ReviewMail): { subject: string; text: string; html: string } {
  const what = mail.kind === 'reminder' ? `${mail.items} access item(s) wait for your review` : `${mail.items} overdue access item(s) were escalated to you`;
  const subject = `Access review "${mail.campaignName}": ${what}`;
  const text = `${what} in access review "${mail.campaignName}" (${mail.campaignId}).\nDecide by ${mail.dueAt}: ${mail.link}\nUnanswered items get the campaign's default decision.\n`;
  const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${PAGE_STYLE}</style></head><body><main><div class="card">
<h1>${what}</h1><p class="lead">Access review "${mail.campaignName}" (${mail.campaignId}). Decide by ${mail.dueAt}.</p>
<p><a href="${mail.link}">Open your review queue</a></p><p>Unanswered items get the campaign's default decision.</p></div></main></body></html>`;
  return { subject, text, html: body.value };
}
