import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { csrfCookie, csrfCookieName } from '../../domain/approvals/csrf.ts';
import { UnsupportedMediaTypeError } from '../../domain/approvals/errors.ts';
import { decideByLink, viewLink, type LinkPageDeps, type LinkView } from '../../domain/reviews/link-page.ts';
import { linkPath } from '../../domain/reviews/links.ts';
import { PayloadTooLargeError, ValidationError } from '../../domain/shared/errors.ts';
import { html, layout } from '../../domain/shared/html.ts';
import { parseOrThrow } from '../../runtime/task-handler.ts';
import { cookieOf, htmlResponse, seeOther } from '../approval-page/form.ts';
import { rawBody } from '../http-errors.ts';
import { decisionAnswer } from '../review-decisions.ts';

/**
 * GET /reviews/{campaignId}/{linkId}: the reviewer's open items (and the CSRF cookie while the
 * link is valid); reads only. POST: the chosen items kept or revoked, then 303 back to the GET.
 */

const MAX_FORM_BYTES = 16 * 1024;
const formSchema = z.strictObject({
  item: z.array(z.string().regex(/^[\x21-\x7e]{1,300}$/, 'an item id')).min(1, 'choose at least one item').max(100),
  decision: z.enum(['keep', 'revoke'], 'must be keep or revoke'),
  csrf: z.string().min(1, 'is required').max(128),
  justification: z.string().max(1000).regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'must not contain control characters').optional(),
});

function parseForm(event: APIGatewayProxyEventV2): z.infer<typeof formSchema> {
  const body = rawBody(event);
  if (body.length > MAX_FORM_BYTES) throw new PayloadTooLargeError(`body: the form must be at most ${MAX_FORM_BYTES} bytes`);
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new UnsupportedMediaTypeError('content-type: the form must be sent as application/x-www-form-urlencoded');
  const params = new URLSearchParams(new TextDecoder('utf-8').decode(body));
  const fields: Record<string, unknown> = { item: params.getAll('item') };
  for (const key of new Set(params.keys())) {
    if (key === 'item') continue;
    if (!['decision', 'csrf', 'justification'].includes(key)) throw new ValidationError(`${key.slice(0, 40)}: unknown field`);
    if (params.getAll(key).length > 1) throw new ValidationError(`${key}: given more than once`);
    const value = params.get(key) ?? '';
    if (key !== 'justification' || value.trim() !== '') fields[key] = key === 'justification' ? value.trim() : value;
  }
  return parseOrThrow(formSchema, fields, 'form');
}

function render(view: LinkView): string {
  const title = `Access review: ${view.campaignName}`;
  if (!view.open || !view.csrf) return layout(title, html`<div class="card"><h1>${title}</h1><p>This review is closed or this link has expired: nothing is waiting for you here.</p></div>`);
  return layout(
    title,
    html`<div class="card"><h1>${title}</h1><p class="lead">${view.items.length} item(s) wait for your decision, ${view.link.reviewer}.</p>
<form method="post">
<table><thead><tr><th></th><th>Person</th><th>Entitlement</th><th>Why they have it</th><th>Risk</th></tr></thead><tbody>
${view.items.map((item) => html`<tr><td><input type="checkbox" name="item" value="${item.itemId}" aria-label="${item.personName} ${item.entitlementId}"></td><td>${item.personName} <code>${item.employeeId}</code></td><td><code>${item.entitlementId}</code> ${item.description}</td><td>${item.source}</td><td><span class="risk risk-${item.risk}">${item.risk}</span></td></tr>`)}
</tbody></table>
<label for="justification">Reason (required to revoke, and to keep high-risk access)</label><textarea id="justification" name="justification"></textarea>
<input type="hidden" name="csrf" value="${view.csrf}">
<div class="actions"><button type="submit" name="decision" value="keep">Keep selected</button><button type="submit" name="decision" value="revoke">Revoke selected</button></div>
</form></div>`,
  );
}

export function reviewPageRoute(deps: LinkPageDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const campaignId = event.pathParameters?.campaignId ?? '';
    const linkId = event.pathParameters?.linkId ?? '';
    const cookie = csrfCookieName(linkId.slice(0, 12));
    if (event.requestContext.http.method === 'POST') {
      const form = parseForm(event);
      decisionAnswer(await decideByLink(deps, { campaignId, linkId, itemIds: form.item, decision: form.decision, csrf: form.csrf, csrfCookie: cookieOf(event, cookie), ...(form.justification ? { justification: form.justification } : {}) }));
      return seeOther(linkPath({ campaignId, linkId }));
    }
    const view = await viewLink(deps, campaignId, linkId);
    const seconds = (Date.parse(view.link.expiresAt) - deps.clock.now().getTime()) / 1000;
    return htmlResponse(200, render(view), view.csrf ? [csrfCookie(linkId.slice(0, 12), view.csrf, seconds)] : undefined);
  };
}
