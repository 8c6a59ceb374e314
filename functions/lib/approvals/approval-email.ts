import type { RequestRecord } from '../requests/request-record.ts';
import type { Approval } from './approval.ts';
import { escapeHtml, html } from './html.ts';
import type { Mail } from './mailer.ts';
import { approverCapacity, formatTime, requestKindWords, roleName, stepLabel, subjectName } from './presentation.ts';

/** Header values must not carry line breaks (SES encodes, but a subject is one line anyway). */
const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, ' ').slice(0, 200);

export const approvalLink = (baseUrl: string, approvalId: string): string => `${baseUrl.replace(/\/+$/, '')}/approvals/${approvalId}`;

/**
 * The e-mail that asks for a decision. It carries the link (the approval id) and what is
 * asked; never the task token, never the CSRF secret. The decision itself happens on the
 * page (a GET shows it, only a POST from it decides), so a mail scanner following the link
 * decides nothing.
 */
export function composeApprovalEmail(approval: Approval, request: RequestRecord, baseUrl: string): Mail {
  const link = approvalLink(baseUrl, approval.approvalId);
  const who = subjectName(request);
  const role = roleName(request);
  const expires = formatTime(approval.expiresAt);
  const subject = oneLine(`Approval needed: ${role} for ${request.employeeDisplayName}`);
  const lines = request.entitlements.map((e) => `  - ${e.id} (${e.risk} risk): ${e.description}`);
  const text = [
    `Gatehouse needs your decision on ${requestKindWords(request)}.`,
    '',
    `Who:    ${who}`,
    `Role:   ${role}`,
    `Why:    ${request.decision.reason}`,
    `Step:   ${stepLabel(approval, request)}, ${approverCapacity(approval)}`,
    `Expires: ${expires}`,
    '',
    'Entitlements:',
    ...lines,
    '',
    `Review and approve or deny: ${link}`,
    '',
    'The link works once, only for you, until it expires. Opening it changes nothing; you decide on the page.',
  ].join('\n');
  const body = html`<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1f2933">
<p>Gatehouse needs your decision on ${requestKindWords(request)}.</p>
<table cellpadding="4">
<tr><td><strong>Who</strong></td><td>${who}</td></tr>
<tr><td><strong>Role</strong></td><td>${role}</td></tr>
<tr><td><strong>Why</strong></td><td>${request.decision.reason}</td></tr>
<tr><td><strong>Step</strong></td><td>${stepLabel(approval, request)}, ${approverCapacity(approval)}</td></tr>
<tr><td><strong>Expires</strong></td><td>${expires}</td></tr>
</table>
<ul>${request.entitlements.map((e) => html`<li><code>${e.id}</code> (${e.risk} risk): ${e.description}</li>`)}</ul>
<p><a href="${link}">Review and approve or deny</a></p>
<p style="color:#52606d">The link works once, only for you, until it expires. Opening it changes nothing; you decide on the page.<br>${escapeHtml(link)}</p>
</body></html>`;
  return { to: approval.approver.email, subject, text, html: body.value };
}
