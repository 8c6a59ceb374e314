import { durationInWords } from '../../domain/shared/duration-words.ts';
import type { ApprovalView } from '../../domain/approvals/approval-page.ts';
import { html, layout, type Html } from '../../domain/shared/html.ts';
import { approverCapacity, formatTime, requestKindWords, roleName, stepLabel } from '../../domain/approvals/presentation.ts';

/** The approval page, HTML-escaped throughout (see html.ts). */

function details(view: ApprovalView): Html {
  const { approval, request } = view;
  return html`<div class="why"><strong>Why you are asked:</strong> ${request.decision.reason}</div>
<dl>
<dt>Employee</dt><dd>${request.employeeDisplayName} <code>${request.employeeId}</code></dd>
<dt>Role</dt><dd>${roleName(request)}</dd>
<dt>Request</dt><dd>${requestKindWords(request)}</dd>
${request.requester ? html`<dt>Requested by</dt><dd>${request.requester.email}</dd>` : undefined}
${request.duration !== undefined ? html`<dt>Duration</dt><dd>${durationInWords(request.duration)}</dd>` : undefined}
${request.justification ? html`<dt>Justification</dt><dd>${request.justification}</dd>` : undefined}
<dt>Approval step</dt><dd>${stepLabel(approval, request)}, ${approverCapacity(approval)}</dd>
<dt>Sent to</dt><dd>${approval.approver.email}</dd>
<dt>Expires</dt><dd>${formatTime(approval.expiresAt)}</dd>
</dl>
<table>
<thead><tr><th>Entitlement</th><th>What it grants</th><th>Risk</th></tr></thead>
<tbody>${request.entitlements.map(
    (e) => html`<tr><td><code>${e.id}</code></td><td>${e.description}</td><td><span class="risk risk-${e.risk}">${e.risk}</span></td></tr>`,
  )}</tbody>
</table>`;
}

function decisionForm(csrf: string): Html {
  return html`<form method="post" autocomplete="off">
<input type="hidden" name="csrf" value="${csrf}">
<label for="comment">Comment (required to deny, optional to approve)</label>
<textarea id="comment" name="comment" maxlength="1000" placeholder="Recorded with your decision in the audit trail"></textarea>
<div class="actions">
<button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="deny" name="decision" value="deny">Deny</button>
</div>
</form>`;
}

/** Sends the recorded decision again; the recorded comment goes with it (a deny needs one). */
function retryForm(csrf: string, decision: 'approved' | 'denied', comment: string | undefined): Html {
  return html`<form method="post">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="decision" value="${decision === 'approved' ? 'approve' : 'deny'}">${comment ? html`
<input type="hidden" name="comment" value="${comment}">` : undefined}
<div class="actions"><button type="submit" class="approve">Send my decision again</button></div>
</form>`;
}

function outcome(view: ApprovalView): Html {
  const { approval, state, csrf } = view;
  switch (state.kind) {
    case 'open':
      return csrf ? decisionForm(csrf) : html``;
    case 'expired':
      return html`<div class="notice warn" role="status"><strong>This link has expired</strong> (${formatTime(approval.expiresAt)}). Nothing was decided; the request was not approved.</div>`;
    case 'cancelled':
      return html`<div class="notice" role="status"><strong>This request was cancelled</strong>, for example because the employee left. There is nothing to decide.</div>`;
    case 'superseded':
      return html`<div class="notice" role="status"><strong>This link was replaced by a newer one.</strong> Please use the most recent e-mail from Gatehouse.</div>`;
    case 'decided': {
      const when = formatTime(approval.decidedAt ?? approval.expiresAt);
      const tone = state.decision === 'approved' ? 'ok' : 'no';
      const said = html`<strong>${state.decision === 'approved' ? 'Approved' : 'Denied'}</strong> by ${approval.decidedBy ?? approval.approver.email} on ${when}.`;
      const comment = approval.comment ? html`<br>Comment: ${approval.comment}` : undefined;
      if (state.delivery === 'task-gone') {
        return html`<div class="notice warn" role="status">${said}${comment}<br><strong>This request is no longer waiting</strong> for a decision (it timed out or was withdrawn), so this decision changed nothing.</div>`;
      }
      if (state.delivery === 'pending') {
        return html`<div class="notice warn" role="status">${said}${comment}<br>Your decision is recorded but has not reached the workflow yet.</div>${csrf ? retryForm(csrf, state.decision, approval.comment) : undefined}`;
      }
      return html`<div class="notice ${tone}" role="status">${said}${comment}<br>This link has been used and cannot be used again.</div>`;
    }
  }
}

export function renderApprovalPage(view: ApprovalView): string {
  const { request, state } = view;
  const title = state.kind === 'open' ? `Approve access for ${request.employeeDisplayName}?` : `Access request for ${request.employeeDisplayName}`;
  return layout(
    title,
    html`<div class="card">
<h1>${title}</h1>
<p class="lead">${state.kind === 'open' ? 'Gatehouse asks you to decide on' : 'You were asked to decide on'} ${requestKindWords(request)}.</p>
${details(view)}
${outcome(view)}
</div>`,
  );
}

export function renderMessagePage(title: string, message: string): string {
  return layout(title, html`<div class="card"><h1>${title}</h1><p>${message}</p></div>`);
}
