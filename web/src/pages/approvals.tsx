import { useRef, useState } from 'react';
import { useConsole } from '../context.ts';
import { useGet, useSubmit } from '../data.ts';
import type { Page } from '../types.ts';
import type { InboxItem } from '#console/inbox.ts';
import { Duration, Empty, ErrorNote, PageTitle, Risk, Show, Time } from '../ui.tsx';

function Decide({ approval, done }: { approval: InboxItem; done: () => void }) {
  const { api } = useConsole();
  const [reason, setReason] = useState('');
  const { busy, error, run, fail } = useSubmit();
  const reasonRef = useRef<HTMLInputElement>(null);
  const decide = async (decision: 'approve' | 'deny') => {
    if (decision === 'deny' && !reason.trim()) {
      fail(new Error('Say why you deny this request: the reason is kept in the audit trail.'));
      reasonRef.current?.focus();
      return;
    }
    await run(async () => {
      await api.post(`/api/approvals/${encodeURIComponent(approval.approvalId)}`, { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      done();
    });
  };
  return (
    <div className="decide">
      <label className="field">
        <span>Reason (required to deny; kept in the audit trail)</span>
        <input ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </label>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide('deny')}>
          Deny
        </button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}

/** My pending decisions, with the same detail as the e-mailed page; decided as the signed-in approver. */
export function ApprovalsPage() {
  const loaded = useGet<Page<InboxItem>>('/api/approvals', 5000);
  return (
    <>
      <PageTitle lead="Requests waiting for your decision. Your decision is recorded under your signed-in identity.">Approvals</PageTitle>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>Nothing is waiting for you. New requests appear here and in your mail.</Empty>
          ) : (
            <ul className="cards">
              {items.map((a) => (
                <li key={a.approvalId} className="card">
                  <h2>
                    {a.employee.name} <span className="muted">({a.employee.email})</span>
                  </h2>
                  <dl className="facts">
                    <dt>Asks for</dt>
                    <dd>{a.kind === 'time-bound' ? 'time-bound access' : a.kind === 'extension' ? 'more time on time-bound access' : a.role ? `the ${a.role} role` : a.kind}</dd>
                    {a.duration ? (
                      <>
                        <dt>For</dt>
                        <dd>
                          <Duration value={a.duration} />
                        </dd>
                      </>
                    ) : null}
                    {a.justification ? (
                      <>
                        <dt>Because</dt>
                        <dd>{a.justification}</dd>
                      </>
                    ) : null}
                    <dt>Why it needs approval</dt>
                    <dd>{a.why}</dd>
                    <dt>Step</dt>
                    <dd>
                      {a.step} of {a.steps}
                    </dd>
                    <dt>Decide by</dt>
                    <dd>
                      <Time at={a.expiresAt} withRelative />
                    </dd>
                  </dl>
                  <ul className="entitlements">
                    {a.entitlements.map((e) => (
                      <li key={e.id}>
                        <strong>{e.id}</strong> <Risk risk={e.risk} /> {e.description}
                      </li>
                    ))}
                  </ul>
                  <Decide approval={a} done={loaded.state === 'ready' ? loaded.reload : () => {}} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </>
  );
}
