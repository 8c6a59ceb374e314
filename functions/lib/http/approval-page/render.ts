import { durationInWords } from '../../domain/shared/duration-words.ts';
import type { ApprovalView } from '../../domain/approvals/approval-page.ts';
import { html, layout, type Html } from '../../domain/shared/html.ts';
import { approverCapacity, formatTime, quorumProgress, requestKindWords, roleName, stepLabel, withdrawnWords } from '../../domain/approvals/presentation.ts';
import { extensionRows } from '../../domain/requests/words.ts';

/** The approval page, HTML-escaped throughout (see html.ts). */

/** When the access itself ends, in words: not the link's deadline (issue #18). */
function accessEnds(view: ApprovalView): string {
  const { request } = view;
  if (request.extension) return `${formatTime(request.extension.newEnd)} if you approve (now ${formatTime(request.extension.currentEnd)}), automatically`;
  if (request.kind === 'time-bound') {
    return request.duration !== undefined ? `${durationInWords(request.duration)} after it is granted, automatically` : 'at the end of the granted period, automatically';
  }
  return request.endDate ? `${request.endDate}, the contract's end date (access is removed automatically)` : 'when the employee leaves (no end date)';
}

/** An id that may wrap after its `:` (group:<wbr>ProdReadOnly), never in the middle of a word. */
const idWithBreaks = (id: string): Html => {
  const [kind, ...rest] = id.split(':');
  return rest.length > 0 ? html`${kind}:<wbr>${rest.join(':')}` : html`${id}`;
};

function entitlementRows(entitlements: ApprovalView['request']['entitlements']): Html[] {
  return entitlements.map(
    (e) => html`<tr><td><code>${idWithBreaks(e.id)}</code></td><td>${e.description}${e.kind === 'workstation' ? ' (a workstation)' : ''}</td><td><span class="risk risk-${e.risk}">${e.risk}</span></td></tr>`,
  );
}

function earlierSteps(view: ApprovalView): Html | undefined {
  const earlier = view.earlier ?? [];
  if (earlier.length === 0) return undefined;
  return html`<h2>Earlier steps</h2>
<ol class="steps">${earlier.map(
    (step) => html`<li><strong>${step.decision === 'approved' ? 'Approved' : 'Denied'}</strong> by ${step.approver}${step.decidedAt ? html` on ${formatTime(step.decidedAt)}` : undefined}${step.comment ? html`<br>“${step.comment}”` : html`<br><span class="muted">no comment</span>`}</li>`,
  )}</ol>`;
}

/** An N-of-M step: "1 of 2 approvals so far: ana@example.com approved (comment)". */
function progress(view: ApprovalView): string | undefined {
  const { approval, quorum } = view;
  return approval.quorum && quorum ? quorumProgress(quorum.tally, quorum.members, approval.quorum.required) : undefined;
}

function removes(view: ApprovalView): Html | undefined {
  const { request } = view;
  if (request.kind !== 'mover' || !request.removes || request.removes.length === 0) return undefined;
  const workstation = request.removes.some((e) => e.kind === 'workstation');
  return html`<h2>This move removes</h2>
<table>
<thead><tr><th>Entitlement</th><th>What it grants</th><th>Risk</th></tr></thead>
<tbody>${entitlementRows(request.removes)}</tbody>
</table>
${workstation ? html`<p class="notice warn">The old role's workstation will be stopped, its volumes snapshotted, then terminated.</p>` : undefined}`;
}

function details(view: ApprovalView): Html {
  const { approval, request } = view;
  const role = request.kind === 'mover' && request.previousRole ? `${request.previousRole} → ${roleName(request)}` : roleName(request);
  return html`<div class="why"><strong>Why you are asked:</strong> ${request.decision.reason}</div>
<dl>
<dt>Employee</dt><dd>${request.employeeDisplayName} <code>${request.employeeId}</code></dd>
<dt>${request.kind === 'mover' ? 'Role change' : 'Role'}</dt><dd>${role}</dd>
${request.department ? html`<dt>Department</dt><dd>${request.department}</dd>` : undefined}
<dt>Request</dt><dd>${requestKindWords(request)}</dd>
${request.kind !== 'time-bound' && request.kind !== 'extension' && request.startDate ? html`<dt>${request.kind === 'mover' ? 'Effective' : 'Start date'}</dt><dd>${request.startDate}</dd>` : undefined}
${request.requester ? html`<dt>Requested by</dt><dd>${request.requester.email}</dd>` : undefined}
${request.extension
    ? extensionRows(request).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)
    : html`${request.duration !== undefined ? html`<dt>Duration</dt><dd>${durationInWords(request.duration)}</dd>` : undefined}
${request.justification ? html`<dt>Justification</dt><dd>${request.justification}</dd>` : undefined}`}
<dt>Access ends</dt><dd>${accessEnds(view)}</dd>
<dt>Approval step</dt><dd>${stepLabel(approval, request)}, ${approverCapacity(approval)}</dd>
<dt>Sent to</dt><dd>${approval.approver.email}</dd>
${progress(view) ? html`<dt>Approvals</dt><dd class="quorum">${progress(view)}</dd>` : undefined}
<dt>Link expires</dt><dd>${formatTime(approval.expiresAt)} <span class="muted">(this link only; not the access)</span></dd>
</dl>
${earlierSteps(view)}
${request.kind === 'mover' ? html`<h2>This move adds</h2>` : undefined}
<table>
<thead><tr><th>Entitlement</th><th>What it grants</th><th>Risk</th></tr></thead>
<tbody>${entitlementRows(request.entitlements)}</tbody>
</table>
${removes(view)}`;
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
    case 'cancelled': {
      if (view.quorum && view.quorum.tally.outcome !== 'pending' && !approval.withdrawnBy) {
        return html`<div class="notice" role="status"><strong>No decision is needed from you any more:</strong> ${progress(view)}.</div>`;
      }
      // A withdrawal names who withdrew it and why; any other cancellation is the leaver's (Cancel Pending Work).
      const when = approval.cancelledAt ? html` (${formatTime(approval.cancelledAt)})` : undefined;
      if (approval.withdrawnBy) return html`<div class="notice" role="status"><strong>This request was withdrawn</strong>${when}. ${withdrawnWords(approval).replace(/[.!?]$/, '')}. There is nothing to decide.</div>`;
      return html`<div class="notice" role="status"><strong>This request was cancelled</strong> because the employee left the company${when}. There is nothing to decide.</div>`;
    }
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
      if (state.delivery === 'counted' && view.quorum?.tally.outcome === 'pending') {
        return html`<div class="notice ${tone}" role="status">${said}${comment}<br>Your decision counts: ${progress(view)}. The request waits for the other approvers.</div>`;
      }
      return html`<div class="notice ${tone}" role="status">${said}${comment}${progress(view) ? html`<br>${progress(view)}.` : undefined}<br>This link has been used and cannot be used again.</div>`;
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
