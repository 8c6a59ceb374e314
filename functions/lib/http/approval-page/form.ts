import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, PayloadTooLargeError, TransientError, ValidationError } from '../../domain/shared/errors.ts';
import { rawBody } from '../http-errors.ts';
import { logger } from '../../runtime/logger.ts';
import { parseOrThrow } from '../../runtime/task-handler.ts';
import type { DecisionInput, Viewer } from '../../domain/approvals/approval-page.ts';
import { CsrfRejectedError, DenyReasonRequiredError, UnsupportedMediaTypeError } from '../../domain/approvals/errors.ts';
import { SECURITY_HEADERS } from '../../domain/shared/html.ts';
import { renderMessagePage } from './render.ts';

/** The approval page's HTTP edge: API Gateway v2 events in, HTML responses out. */

export const MAX_FORM_BYTES = 8 * 1024;
export const MAX_COMMENT_CHARS = 1000;

type Result = APIGatewayProxyStructuredResultV2;

export const htmlResponse = (statusCode: number, body: string, cookies?: string[]): Result => ({
  statusCode,
  headers: { ...SECURITY_HEADERS },
  body,
  ...(cookies?.length ? { cookies } : {}),
});

/** POST-redirect-GET: the result is the approval page itself. */
export const seeOther = (location: string): Result => ({ statusCode: 303, headers: { ...SECURITY_HEADERS, location }, body: '' });

export const approvalIdOf = (event: APIGatewayProxyEventV2): string => event.pathParameters?.id ?? '';

const authorizerSchema = z.object({
  authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }).optional() }).optional(),
});

/**
 * The caller's identity when an API Gateway JWT authorizer vouched for it
 * (`requestContext.authorizer.jwt.claims.email`; an `email_verified` of false does not count).
 * No authorizer: unauthenticated, and possession of the link plus the CSRF token is the proof.
 */
export function viewerOf(event: APIGatewayProxyEventV2): Viewer {
  const parsed = authorizerSchema.safeParse(event.requestContext);
  const claims = parsed.success ? parsed.data.authorizer?.jwt?.claims : undefined;
  if (!claims) return { authenticated: false };
  const verified = claims.email_verified !== false && claims.email_verified !== 'false';
  return { authenticated: true, email: typeof claims.email === 'string' && verified ? claims.email : undefined };
}

/** A cookie's value from API Gateway v2's `cookies` (or a raw Cookie header). */
export function cookieOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const cookies = event.cookies ?? (event.headers?.cookie ?? '').split(';');
  for (const cookie of cookies) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

const FIELDS = ['decision', 'csrf', 'comment'] as const;
const formSchema = z.object({
  decision: z.enum(['approve', 'deny'], 'must be approve or deny'),
  csrf: z.string('is required').min(1, 'is required').max(128, 'is too long'),
  comment: z
    .string()
    .max(MAX_COMMENT_CHARS, `must be at most ${MAX_COMMENT_CHARS} characters`)
    .regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'must not contain control characters')
    .optional(),
});

/** The decision form, size-checked, strictly parsed; errors name the field. */
export function parseDecisionForm(event: APIGatewayProxyEventV2): Omit<DecisionInput, 'approvalId' | 'viewer' | 'csrfCookie'> {
  const body = rawBody(event);
  if (body.length > MAX_FORM_BYTES) throw new PayloadTooLargeError(`body: the form must be at most ${MAX_FORM_BYTES} bytes`);
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new UnsupportedMediaTypeError('content-type: the form must be sent as application/x-www-form-urlencoded');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    throw new ValidationError('body: the form is not valid UTF-8', { cause: error });
  }
  const params = new URLSearchParams(text);
  const fields: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new ValidationError(`${key.slice(0, 40)}: unknown field`);
    if (key in fields) throw new ValidationError(`${key}: given more than once`);
    fields[key] = value;
  }
  const form = parseOrThrow(formSchema, fields, 'form');
  const comment = form.comment?.trim();
  // Checked before anything is read or written: a refused deny changes nothing and stays open.
  if (form.decision === 'deny' && !comment) throw new DenyReasonRequiredError('comment: a reason is required to deny; go back, write why in the comment box and deny again (nothing was decided)');
  return { decision: form.decision, csrf: form.csrf, ...(comment ? { comment } : {}) };
}

const TITLES: Record<number, string> = {
  400: 'That form could not be read',
  403: 'Not allowed',
  404: 'Approval not found',
  409: 'This link has been used',
  410: 'This link has expired',
  413: 'That form is too large',
  415: 'That form could not be read',
};

const NOT_FOUND_TEXT = 'This approval link is not valid. Check that you used the complete link from the e-mail.';

/** A lost or mismatched CSRF cookie (cleared, another browser, a private window): nothing was decided. */
const CSRF_TITLE = 'Please reopen the link from your e-mail';
const CSRF_TEXT =
  'Nothing was decided: this approval is still waiting for you. This browser did not send the security cookie the page set when it opened (it may have been cleared, or the page was opened in another browser or a private window). Reopen the link from your e-mail in this browser and decide again.';

/**
 * Renders typed errors as HTML pages with the page's security headers. Returning the response
 * short-circuits middy's onError chain, so `httpErrors` (registered first, runs last) only
 * sees what is left: unexpected errors, which it logs and answers with an opaque 500.
 */
export function htmlErrorPages(): MiddlewareObj<APIGatewayProxyEventV2, Result> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof TransientError) {
        logger.warn('approval page: dependency unavailable', { error: error.name, reason: error.message });
        request.response = htmlResponse(
          503,
          renderMessagePage('Please try again', 'Gatehouse could not finish this just now. If you submitted a decision, it is recorded; reload this page in a minute to finish it.'),
        );
        return request.response;
      }
      if (!(error instanceof DomainError) || !error.expose) return undefined;
      logger.info('approval page: request refused', { error: error.name, status: error.statusCode });
      if (error instanceof CsrfRejectedError) {
        request.response = htmlResponse(403, renderMessagePage(CSRF_TITLE, CSRF_TEXT));
        return request.response;
      }
      const title = error instanceof DenyReasonRequiredError ? 'Please say why you deny' : (TITLES[error.statusCode] ?? 'Request refused');
      const text = error.statusCode === 404 ? NOT_FOUND_TEXT : `${error.message}.`;
      request.response = htmlResponse(error.statusCode, renderMessagePage(title, text));
      return request.response;
    },
  };
}
