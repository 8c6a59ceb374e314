import { useRef, useState } from 'react';
import { useConsole } from '../context.ts';
import { useGet, useSubmit } from '../data.ts';
import type { DecisionResults, ReviewQueueEntry } from '../types.ts';
import { Empty, ErrorNote, PageTitle, Risk, Show, Time } from '../ui.tsx';
import { Campaigns } from './review-campaigns.tsx';

/**
 * Access reviews: the items waiting for my decision (keep or revoke, a reason for every revoke and
 * for keeping high-risk access; one at a time or in bulk), and for operators the campaigns
 * themselves (start, remind, close, evidence download).
 */

type Decision = 'keep' | 'revoke';

const sourceText = (source: string): string =>
  source.startsWith('role:') ? `the ${source.slice('role:'.length)} role` : source.startsWith('time-bound:') ? `time-bound request ${source.slice('time-bound:'.length)}` : source;

/** What the reviewer must write before deciding, or undefined when the decision needs no reason. */
function missingReason(decision: Decision, risks: readonly ('low' | 'high')[], reason: string): string | undefined {
  if (reason.trim()) return undefined;
  if (decision === 'revoke') return 'Say why this access should be revoked: the reason goes into the audit trail and the campaign report.';
  if (risks.includes('high')) return 'Say why this high-risk access should stay: the reason goes into the audit trail and the campaign report.';
  return undefined;
}

/** Posts one decision over items of possibly several campaigns (one call per campaign); answers how many were decided and the refusals. */
async function decideAll(post: (path: string, body: unknown) => Promise<DecisionResults>, items: readonly ReviewQueueEntry[], decision: Decision, reason: string): Promise<{ decided: number; refused: string[]; pending: number }> {
  const byCampaign = new Map<string, string[]>();
  for (const item of items) byCampaign.set(item.campaignId, [...(byCampaign.get(item.campaignId) ?? []), item.itemId]);
  let decided = 0;
  let pending = 0;
  const refused: string[] = [];
  for (const [campaignId, itemIds] of byCampaign) {
    const answer = await post(`/api/reviews/${encodeURIComponent(campaignId)}/decisions`, { itemIds, decision, ...(reason.trim() ? { justification: reason.trim() } : {}) });
    decided += answer.decided;
    for (const result of answer.results) {
      if (result.outcome === 'refused') refused.push(result.message);
      else if (result.remediation === 'pending') pending += 1;
    }
  }
  return { decided, refused, pending };
}

/** The queue by campaign, in the API's order; the earliest due date of a campaign's items heads its group. */
function byCampaign(items: readonly ReviewQueueEntry[]): { campaignId: string; campaignName: string; dueAt: string; items: ReviewQueueEntry[] }[] {
  const groups = new Map<string, { campaignId: string; campaignName: string; dueAt: string; items: ReviewQueueEntry[] }>();
  for (const item of items) {
    const group = groups.get(item.campaignId) ?? { campaignId: item.campaignId, campaignName: item.campaignName, dueAt: item.dueAt, items: [] };
    group.items.push(item);
    if (item.dueAt < group.dueAt) group.dueAt = item.dueAt;
    groups.set(item.campaignId, group);
  }
  return [...groups.values()];
}

function useDecide(items: readonly ReviewQueueEntry[], done: (note: string) => void) {
  const { api } = useConsole();
  const [reason, setReason] = useState('');
  const { busy, error, run, fail } = useSubmit();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const decide = async (decision: Decision) => {
    const missing = missingReason(decision, items.map((item) => item.risk), reason);
    if (missing) {
      fail(new Error(missing));
      reasonRef.current?.focus();
      return;
    }
    await run(async () => {
      const { decided, refused, pending } = await decideAll((path, body) => api.post<DecisionResults>(path, body), items, decision, reason);
      const later = pending > 0 ? ` ${pending} could not be removed just now: Gatehouse removes ${pending === 1 ? 'it' : 'them'} at the campaign's deadline.` : '';
      done(`${decision === 'keep' ? 'Kept' : 'Revoked'} ${decided} item${decided === 1 ? '' : 's'}.${later}`);
      // Some decided, some refused: the decided ones are done, the refusals stay on screen.
      if (refused.length > 0) throw new Error(`${decided} decided; ${refused.length} refused: ${refused.join('; ')}`);
    });
  };
  return { reason, setReason, error, busy, reasonRef, decide };
}

function ItemCard({ item, selected, onSelect, done }: { item: ReviewQueueEntry; selected: boolean; onSelect: (on: boolean) => void; done: (note: string) => void }) {
  const { reason, setReason, error, busy, reasonRef, decide } = useDecide([item], done);
  const key = item.itemId.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <li className="card" aria-labelledby={`who-${key}`}>
      <h4 id={`who-${key}`}>
        {item.personName} <span className="muted">({item.personEmail})</span>
      </h4>
      <p className="entitlement">
        <strong>{item.entitlementId}</strong> <Risk risk={item.risk} />
        <span className="muted"> {item.description}</span>
      </p>
      <dl className="facts">
        <dt>Why they have it</dt>
        <dd>{sourceText(item.source)}</dd>
        <dt>Held since</dt>
        <dd>
          <Time at={item.since} />
        </dd>
        {item.escalated ? (
          <>
            <dt>Escalated</dt>
            <dd>to you: the first reviewer did not answer in time</dd>
          </>
        ) : null}
        {item.stages > 1 ? (
          <>
            <dt>Review step</dt>
            <dd>
              {item.stage} of {item.stages}
            </dd>
          </>
        ) : null}
      </dl>
      <label className="check">
        <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} /> Select for a bulk decision
      </label>
      <label className="field">
        <span>{item.risk === 'high' ? 'Reason (required; kept in the audit trail)' : 'Reason (required to revoke; kept in the audit trail)'}</span>
        <textarea ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={2} />
      </label>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide('keep')}>
          Keep
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide('revoke')}>
          Revoke
        </button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </li>
  );
}

function BulkDecision({ items, done }: { items: ReviewQueueEntry[]; done: (note: string) => void }) {
  const { reason, setReason, error, busy, reasonRef, decide } = useDecide(items, done);
  return (
    <section className="card bulk" aria-labelledby="bulk-title">
      <h3 id="bulk-title">
        {items.length} selected for one decision
      </h3>
      <label className="field">
        <span>Reason for all selected (required to revoke, or to keep high-risk access)</span>
        <textarea ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={2} />
      </label>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide('keep')}>
          Keep selected
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide('revoke')}>
          Revoke selected
        </button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}

function Queue() {
  const [risk, setRisk] = useState<'' | 'low' | 'high'>('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const loaded = useGet<{ items: ReviewQueueEntry[] }>(`/api/reviews${risk ? `?risk=${risk}` : ''}`, 10_000);
  const done = (text: string) => {
    setNote(text);
    setSelected(new Set());
    if (loaded.state === 'ready') loaded.reload();
  };
  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting for your decision</h2>
      <div className="inline-form">
        <label className="field">
          <span>Risk</span>
          <select value={risk} onChange={(e) => setRisk(e.target.value as '' | 'low' | 'high')}>
            <option value="">All</option>
            <option value="high">High risk only</option>
            <option value="low">Low risk only</option>
          </select>
        </label>
      </div>
      <p className="note ok" role="status" hidden={!note}>
        {note}
      </p>
      <Show loaded={loaded}>
        {({ items }) => {
          const chosen = items.filter((item) => selected.has(item.itemId));
          return items.length === 0 ? (
            <Empty>Nothing is waiting for your review. When a campaign names you as reviewer, its items appear here and in your mail.</Empty>
          ) : (
            <>
              {chosen.length > 0 ? <BulkDecision items={chosen} done={done} /> : null}
              {byCampaign(items).map((group) => (
                <section key={group.campaignId} aria-labelledby={`campaign-${group.campaignId}`}>
                  <h3 id={`campaign-${group.campaignId}`} className="campaign-head">
                    {group.campaignName}: {group.items.length} item{group.items.length === 1 ? '' : 's'}, decide by <Time at={group.dueAt} withRelative />
                  </h3>
                  <ul className="cards">
                    {group.items.map((item) => (
                      <ItemCard
                        key={item.itemId}
                        item={item}
                        selected={selected.has(item.itemId)}
                        onSelect={(on) => setSelected((now) => (on ? new Set([...now, item.itemId]) : new Set([...now].filter((id) => id !== item.itemId))))}
                        done={done}
                      />
                    ))}
                  </ul>
                </section>
              ))}
            </>
          );
        }}
      </Show>
    </section>
  );
}

export function ReviewsPage() {
  const { isOperator } = useConsole();
  return (
    <>
      <PageTitle lead="Certify who still needs the access they hold. Revoked access is removed at once, through the same path as any other revocation, and every decision is audited. When access was last used is not shown: Gatehouse does not see sign-ins.">
        Access reviews
      </PageTitle>
      <Queue />
      {isOperator ? <Campaigns /> : null}
    </>
  );
}
