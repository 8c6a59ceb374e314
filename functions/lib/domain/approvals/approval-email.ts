import { durationInWords } from '../shared/duration-words.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { Approval } from './approval.ts';
import { escapeHtml, html } from '../shared/html.ts';
import type { Mail } from './ports.ts';
import { oneLine, subjectLine, textPart } from '../shared/text.ts';
import { approverCapacity, formatTime, requestKindWords, roleName, stepLabel, subjectName } from './presentation.ts';


/** A time-bound request also says who asks, for how long, and why (the requester's words). */
function timeBoundRows(request: RequestRecord): [string, string][] {
  if (request.kind !== 'time-bound') return [];
  return [
    ...(request.requester ? [['Asked by', `${request.requester.email} (${request.requester.employeeId})`] as [string, string]] : []),
    ...(request.duration !== undefined ? [['For', durationInWords(request.duration)] as [string, string]] : []),
    ...(request.justification ? [['Justification', oneLine(request.justification).slice(0, 200)] as [string, string]] : []),
  ];
}

const timeBoundLines = (request: RequestRecord): string[] => timeBoundRows(request).map(([label, value]) => `${`${label}:`.padEnd(7)} ${value}`);

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
  const what = request.kind === 'time-bound' ? `time-bound ${request.entitlements.map((e) => e.id).join(', ')}` : role;
  const subject = subjectLine(`Approval needed: ${what} for ${request.employeeDisplayName}`);
  const lines = request.entitlements.map((e) => `  - ${e.id} (${e.risk} risk): ${e.description}`);
  const text = textPart([
    `Gatehouse needs your decision on ${requestKindWords(request)}.`,
    '',
    `Who:    ${who}`,
    `Role:   ${role}`,
    `Why:    ${request.decision.reason}`,
    ...timeBoundLines(request),
    `Step:   ${stepLabel(approval, request)}, ${approverCapacity(approval)}`,
    `Expires: ${expires}`,
    '',
    'Entitlements:',
    ...lines,
    '',
    `Review and approve or deny: ${link}`,
    '',
    'The link works once, only for you, until it expires. Opening it changes nothing; you decide on the page.',
  ]);
  const body = html`<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1f2933">
<p>Gatehouse needs your decision on ${requestKindWords(request)}.</p>
<table cellpadding="4">
<tr><td><strong>Who</strong></td><td>${who}</td></tr>
<tr><td><strong>Role</strong></td><td>${role}</td></tr>
<tr><td><strong>Why</strong></td><td>${request.decision.reason}</td></tr>
${timeBoundRows(request).map(([label, value]) => html`<tr><td><strong>${label}</strong></td><td>${value}</td></tr>`)}
<tr><td><strong>Step</strong></td><td>${stepLabel(approval, request)}, ${approverCapacity(approval)}</td></tr>
<tr><td><strong>Expires</strong></td><td>${expires}</td></tr>
</table>
<ul>${request.entitlements.map((e) => html`<li><code>${e.id}</code> (${e.risk} risk): ${e.description}</li>`)}</ul>
<p><a href="${link}">Review and approve or deny</a></p>
<p style="color:#52606d">The link works once, only for you, until it expires. Opening it changes nothing; you decide on the page.<br>${escapeHtml(link)}</p>
</body></html>`;
  return { to: approval.approver.email, subject, text, html: body.value };
}
