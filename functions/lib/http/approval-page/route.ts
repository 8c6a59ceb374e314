import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../runtime/logger.ts';
import { approvalRef } from '../../domain/approvals/approval.ts';
import { decideApproval, viewApproval, type ApprovalPageDeps } from '../../domain/approvals/approval-page.ts';
import { csrfCookie, csrfCookieName } from '../../domain/approvals/csrf.ts';
import { renderApprovalPage } from './render.ts';
import { approvalIdOf, cookieOf, htmlResponse, parseDecisionForm, seeOther, viewerOf } from './form.ts';

/**
 * GET /approvals/{id}: the page (and, while open, the CSRF cookie). Reads only: mail scanners
 * and link previews fetch it. POST /approvals/{id}: the decision, then 303 back to the GET.
 */
export function approvalPageRoute(deps: ApprovalPageDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const approvalId = approvalIdOf(event);
    const ref = approvalRef(approvalId);
    logger.resetKeys();
    logger.appendKeys({ approvalRef: ref });
    const viewer = viewerOf(event);

    if (event.requestContext.http.method === 'POST') {
      const form = parseDecisionForm(event);
      const result = await decideApproval(deps, { approvalId, viewer, ...form, csrfCookie: cookieOf(event, csrfCookieName(ref)) });
      logger.appendKeys({ requestId: result.approval.requestId, employeeId: result.approval.employeeId, executionName: result.approval.executionName });
      logger.info('approval decided', { decision: result.approval.status, delivery: result.delivery, step: result.approval.step });
      return seeOther(`/approvals/${encodeURIComponent(approvalId)}`);
    }

    const view = await viewApproval(deps, approvalId, viewer);
    const secondsLeft = (Date.parse(view.approval.expiresAt) - view.now.getTime()) / 1000;
    const cookies = view.csrf ? [csrfCookie(ref, view.csrf, secondsLeft)] : undefined;
    return htmlResponse(200, renderApprovalPage(view), cookies);
  };
}
