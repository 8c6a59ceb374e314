import { html, type Html } from '../shared/html.ts';
import { subjectLine, textPart } from '../shared/text.ts';
import type { ListedEntitlement } from './kinds.ts';

/**
 * The one shape of every Gatehouse notification: a lead sentence, facts as label and value,
 * lists (granted, removed...), an optional closing line and an optional link. Text and HTML are
 * built from the same parts: every value is escaped (shared/html.ts) and kept to one line
 * (shared/text.ts). The HTML stacks label over value in a single column of at most 600 px that
 * wraps long ids, so it reads on a 390 px phone as on a desktop client.
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailParts {
  subject: string;
  lead: string;
  facts?: readonly (readonly [string, string])[];
  lists?: readonly { title: string; items: readonly string[] }[];
  link?: { label: string; href: string };
  closing?: string;
}

export const listed = (entitlements: readonly ListedEntitlement[]): string[] =>
  entitlements.map((e) => (e.description ? `${e.id}: ${e.description}` : e.id));

const WRAP = 'overflow-wrap:anywhere;word-break:break-word';

export function compose(parts: MailParts): MailContent {
  const facts = parts.facts ?? [];
  const lists = (parts.lists ?? []).filter((list) => list.items.length > 0);
  const text = textPart([
    parts.lead,
    ...(facts.length > 0 ? ['', ...facts.map(([label, value]) => `${label}: ${value}`)] : []),
    ...lists.flatMap((list) => ['', `${list.title}:`, ...list.items.map((item) => `  - ${item}`)]),
    ...(parts.link ? ['', `${parts.link.label}: ${parts.link.href}`] : []),
    ...(parts.closing ? ['', parts.closing] : []),
  ]);
  const factsHtml: Html[] = facts.map(
    ([label, value]) => html`<p style="margin:0 0 10px"><strong>${label}</strong><br><span style="${WRAP}">${value}</span></p>`,
  );
  const listsHtml: Html[] = lists.map(
    (list) => html`<p style="margin:14px 0 4px"><strong>${list.title}</strong></p>
<ul style="margin:0;padding-left:20px">${list.items.map((item) => html`<li style="${WRAP}">${item}</li>`)}</ul>`,
  );
  const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933;line-height:1.45">
<div style="max-width:600px;padding:16px;box-sizing:border-box;${WRAP}">
<p style="margin:0 0 14px">${parts.lead}</p>
${factsHtml}${listsHtml}
${parts.link ? html`<p style="margin:16px 0"><a href="${parts.link.href}">${parts.link.label}</a></p>` : ''}
${parts.closing ? html`<p style="margin:16px 0 0;color:#52606d">${parts.closing}</p>` : ''}
</div></body></html>`;
  return { subject: subjectLine(parts.subject), text, html: body.value };
}
