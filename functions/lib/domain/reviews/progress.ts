import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { type Campaign, campaignEntryOrigin } from './campaign.ts';
import { CampaignClosedError, CampaignNotFoundError } from './errors.ts';
import type { ReviewItem } from './items.ts';
import type { ReviewMailer, ReviewStore } from './ports.ts';

/**
 * "Check Progress": what the campaign's clock says now. Before the due date, remind every
 * reviewer with open items (once per cadence tick); from the due date, escalate each overdue
 * item to its escalation reviewer (once); at the deadline, or when every item is settled, or
 * when an operator closed it, the defaults apply. Returns when to look again.
 */

export interface ProgressDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'listItems' | 'replaceItem'>;
  mailer: ReviewMailer;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  /** The reviewer's link (the e-mailed page), for the mails. */
  linkFor(campaignId: string, reviewer: string): Promise<string>;
}

export type Progress = { phase: 'waiting'; nextAt: string; pending: number } | { phase: 'deadline'; pending: number };

const byReviewer = (items: readonly ReviewItem[], who: (item: ReviewItem) => string): Map<string, ReviewItem[]> => {
  const groups = new Map<string, ReviewItem[]>();
  for (const item of items) groups.set(who(item), [...(groups.get(who(item)) ?? []), item]);
  return groups;
};

/** Reminds every reviewer with pending items; `tick` makes a retried reminder idempotent. */
export async function sendReminders(deps: ProgressDeps, campaign: Campaign, pending: readonly ReviewItem[], tick: string): Promise<number> {
  const groups = byReviewer(pending.filter((item) => !item.escalated), (item) => item.reviewers[item.stage]!);
  for (const [reviewer, items] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await deps.audit.append({
      kind: 'review.reminded',
      ...campaignEntryOrigin(campaign),
      reason: `reminder to ${reviewer}: ${items.length} item(s) open, due ${campaign.dueAt}`,
      idempotencyKey: `${campaign.campaignId}/review.reminded/${tick}/${reviewer}`,
      detail: { reviewer, items: items.length },
    });
    // Mail after the entry: a retry finds the entry and mails again at worst, never silently skips.
    await deps.mailer.send({ kind: 'reminder', campaignId: campaign.campaignId, campaignName: campaign.definition.name, reviewer, items: items.length, dueAt: campaign.dueAt, link: await deps.linkFor(campaign.campaignId, reviewer) });
  }
  return groups.size;
}

/** An operator's "remind now" (CLI, console): every reviewer with open items of an open campaign, once per `tick`. */
export async function remindNow(deps: ProgressDeps, campaignId: string, tick: string): Promise<{ reviewers: number; items: number }> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new CampaignNotFoundError(`no campaign ${campaignId}`);
  if (campaign.status !== 'open' || campaign.closeRequestedAt) throw new CampaignClosedError(`campaign ${campaignId} is ${campaign.status === 'open' ? 'closing' : 'closed'}: nothing to remind`);
  const pending = (await deps.store.listItems(campaignId)).filter((item) => item.status === 'pending');
  return { reviewers: await sendReminders(deps, campaign, pending, tick), items: pending.length };
}

async function escalate(deps: ProgressDeps, campaign: Campaign, pending: readonly ReviewItem[]): Promise<void> {
  const fresh = pending.filter((item) => !item.escalated);
  for (const item of fresh) await deps.store.replaceItem({ ...item, escalated: true }, { status: 'pending', stage: item.stage });
  const groups = byReviewer(fresh, (item) => `${item.escalations[item.stage]!}\n${item.reviewers[item.stage]!}`);
  for (const [pair, items] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [to, overdue] = pair.split('\n') as [string, string];
    await deps.audit.append({
      kind: 'review.escalated',
      ...campaignEntryOrigin(campaign),
      reason: `${items.length} overdue item(s) of ${overdue} escalated to ${to}; default applies at ${campaign.deadlineAt}`,
      idempotencyKey: `${campaign.campaignId}/review.escalated/${to}/${overdue}/${items[0]!.stage}`,
      detail: { reviewer: to, items: items.length, overdue },
    });
    await deps.mailer.send({ kind: 'escalation', campaignId: campaign.campaignId, campaignName: campaign.definition.name, reviewer: to, items: items.length, dueAt: campaign.deadlineAt, link: await deps.linkFor(campaign.campaignId, to) });
  }
}

export async function checkProgress(deps: ProgressDeps, campaignId: string): Promise<Progress> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new CampaignNotFoundError(`no campaign ${campaignId}`);
  const now = deps.clock.now().getTime();
  const pending = (await deps.store.listItems(campaignId)).filter((item) => item.status === 'pending');
  if (campaign.status !== 'open' || campaign.closeRequestedAt || pending.length === 0 || now >= Date.parse(campaign.deadlineAt)) {
    return { phase: 'deadline', pending: pending.length };
  }
  const due = Date.parse(campaign.dueAt);
  if (now >= due) {
    await escalate(deps, campaign, pending);
    return { phase: 'waiting', nextAt: campaign.deadlineAt, pending: pending.length };
  }
  const every = campaign.definition.remindEverySeconds * 1000;
  const started = Date.parse(campaign.startedAt);
  const tick = Math.floor((now - started) / every);
  // The first check runs right after the snapshot: that is the invitation, reminders follow each tick.
  await sendReminders(deps, campaign, pending, `tick-${tick}`);
  return { phase: 'waiting', nextAt: new Date(Math.min(started + (tick + 1) * every, due)).toISOString(), pending: pending.length };
}
