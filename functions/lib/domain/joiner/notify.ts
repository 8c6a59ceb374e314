import { z } from 'zod';
import { html } from '../shared/html.ts';
import { employeeSchema } from '../events/employee-events.ts';
import { executionIds, requestIdSchema } from '../shared/ids.ts';
import { subjectLine, textPart } from '../shared/text.ts';

/**
 * Notify: tells the manager and the operators that the new starter's access is ready. The
 * mail names the person and lists what was granted (ids and descriptions, the workstation's
 * instance id); no links, tokens or secrets. With Slack configured, one line also goes to the
 * operators' channel. A retried Notify may send the mail (and the line) again: a duplicate
 * "access ready" is harmless, and SES has no idempotency key to prevent it.
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

/** Posts one line to the operators' Slack channel (docs/slack.md); absent when Slack is not configured. */
export type ChannelPoster = (text: string) => Promise<void>;

export interface NotifyDeps {
  mailer: AccessMailer;
  operatorEmail: string;
  channel?: ChannelPoster;
}

export interface NotifyResult {
  recipients: number;
  messageId?: string;
  /** True when the grant was also posted to the Slack channel. */
  slack?: boolean;
}


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
  const text = textPart([`Access is ready for ${who}.`, '', ...facts, '', 'Granted:', ...lines.map((line) => `  - ${line}`)]);
  const body = html`<p>Access is ready for <strong>${who}</strong>.</p>
<ul>${facts.map((fact) => html`<li>${fact}</li>`)}</ul>
<p>Granted:</p>
<ul>${lines.map((line) => html`<li>${line}</li>`)}</ul>`;
  return { to, subject: subjectLine(`Access ready for ${who}`), text, html: body.value };
}

/** The channel's line: who, which role, what was granted; no links, no tokens. One line whatever the data. */
export function composeAccessLine(input: NotifyInput): string {
  const { employee } = input;
  const granted = input.entitlements.map((e) => e.id).join(', ') || 'nothing new';
  return subjectLine(`Access ready for ${employee.firstName} ${employee.lastName} (${employee.employeeId}), role ${employee.role}: ${granted} (request ${input.requestId})`);
}

export async function notifyAccessReady(deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const to = recipientsOf(input, deps.operatorEmail);
  const messageId = await deps.mailer.send(composeAccessMail(input, to));
  if (deps.channel) await deps.channel(composeAccessLine(input));
  return { recipients: to.length, ...(messageId ? { messageId } : {}), ...(deps.channel ? { slack: true } : {}) };
}
