import { html } from '../shared/html.ts';
import type { OperatorMail, OutcomeOperators } from './ports.ts';

/**
 * The operators' mail when a hire stops on an identity conflict (issue #11): two people share a
 * work e-mail, Gatehouse never merges them, so a person must fix one HRIS record. Sent once per
 * request: the request item's lease lets one caller send, and `operatorMailedAt` keeps a retry
 * of Record Failure from sending again. Ids only, and the cause with e-mail addresses redacted.
 */

export const IDENTITY_CONFLICT_ERROR = 'IdentityConflictError';

/** How long one caller may take to send before a retry may try again. */
export const OPERATOR_MAIL_LEASE_MS = 60_000;

export function identityConflictMail(facts: { employeeId: string; requestId: string; cause: string }): OperatorMail {
  const subject = `Gatehouse stopped the hire of ${facts.employeeId}: identity conflict`;
  const lines = [
    `Gatehouse stopped provisioning employee ${facts.employeeId} (request ${facts.requestId}): their work e-mail already belongs to the Identity Store user of another employee.`,
    facts.cause ? `What Identity Store said: ${facts.cause}` : '',
    'Nothing was merged and nothing of the other person changed. Fix the HRIS record that is wrong; the next event for this person is provisioned as usual.',
  ].filter((line) => line !== '');
  return { subject, text: lines.join('\n\n'), html: html`${lines.map((line) => html`<p>${line}</p>`)}`.value };
}

/** Sends the mail unless this request's was sent (or is being sent): 'sent' | 'already-sent'. */
export async function mailOperatorsOnce(operators: OutcomeOperators, requestId: string, mail: OperatorMail, now: Date): Promise<'sent' | 'already-sent'> {
  const leaseUntil = new Date(now.getTime() + OPERATOR_MAIL_LEASE_MS).toISOString();
  if (!(await operators.log.claimOperatorMail(requestId, now.toISOString(), leaseUntil))) return 'already-sent';
  await operators.mailer.send(mail);
  await operators.log.markOperatorMailed(requestId, now.toISOString());
  return 'sent';
}
