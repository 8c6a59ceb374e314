import { z } from 'zod';
import { html } from '../shared/html.ts';
import { employeeSchema } from '../events/employee-events.ts';
import { executionIds, requestIdSchema } from '../shared/ids.ts';

/**
 * Notify: tells the manager and the operators that the new starter's access is ready. The
 * mail names the person and lists what was granted (ids and descriptions, the workstation's
 * instance id); no links, tokens or secrets. A retried Notify may send the mail again: a
 * duplicate "access ready" is harmless, and SES has no idempotency key to prevent it.
 */

export const notifyInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeSchema.shape.employeeId,
  employee: employeeSchema,
  entitlements: z.array(z.looseObject({ id: z.string().min(1), description: z.string().optional() })),
  results: z
    .looseObject({
      workstation: z.looseObject({ instanceId: z.string() }).optional(),
      schedule: z.looseObject({ at: z.string() }).optional(),
    })
    .default({}),
  executionId: executionIds.executionId.optional(),
  executionName: executionIds.executionName.optional(),
});
export type NotifyInput = z.infer<typeof notifyInputSchema>;

export interface AccessMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface AccessMailer {
  /** Sends one mail to every recipient; returns the provider's message id. */
  send(mail: AccessMail): Promise<string | undefined>;
}

export interface NotifyDeps {
  mailer: AccessMailer;
  operatorEmail: string;
}

export interface NotifyResult {
  recipients: number;
  messageId?: string;
}

const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, ' ').slice(0, 200);

/** Manager first, then operators; each mailbox once (case-insensitive). */
export function recipientsOf(input: NotifyInput, operatorEmail: string): string[] {
  const all = [input.employee.managerEmail, operatorEmail].filter((email): email is string => email !== undefined);
  return all.filter((email, i) => all.findIndex((other) => other.toLowerCase() === email.toLowerCase()) === i);
}

export function composeAccessMail(input: NotifyInput, to: string[]): AccessMail {
  const { employee, results } = input;
  const who = `${employee.firstName} ${employee.lastName} (${employee.employeeId})`;
  const lines = input.entitlements.map((entitlement) => `${entitlement.id}${entitlement.description ? `: ${entitlement.description}` : ''}`);
  const facts = [
    `Role: ${employee.role}`,
    `Start date: ${employee.startDate}`,
    ...(results.workstation ? [`Workstation: ${results.workstation.instanceId}`] : []),
    ...(results.schedule ? [`Access ends (scheduled): ${results.schedule.at}`] : []),
    `Request: ${input.requestId}`,
  ];
  const text = [`Access is ready for ${who}.`, '', ...facts, '', 'Granted:', ...lines.map((line) => `  - ${line}`)].join('\n');
  const body = html`<p>Access is ready for <strong>${who}</strong>.</p>
<ul>${facts.map((fact) => html`<li>${fact}</li>`)}</ul>
<p>Granted:</p>
<ul>${lines.map((line) => html`<li>${line}</li>`)}</ul>`;
  return { to, subject: oneLine(`Access ready for ${who}`), text, html: body.value };
}

export async function notifyAccessReady(deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const to = recipientsOf(input, deps.operatorEmail);
  const messageId = await deps.mailer.send(composeAccessMail(input, to));
  return { recipients: to.length, ...(messageId ? { messageId } : {}) };
}
