import { useState, type FormEvent } from 'react';
import { useConsole } from '../context.ts';
import { durationInWords } from '../format.ts';
import { useGet, useSubmit } from '../data.ts';
import { Link } from '../router.tsx';
import type { MyAccess } from '../types.ts';
import type { Holding, RequestView } from '#console/views.ts';
import { Duration, ErrorNote, PageTitle, Show, Status, Table, Time } from '../ui.tsx';

const SOURCE = { birthright: 'Everyone', role: 'Your role', 'time-bound': 'Time-bound grant' } as const;

/**
 * One action on one of my requests (POST /access-requests/{id}/{action}): revoke a grant early, or
 * withdraw a request still waiting for approval (the approvers are told and their links stop working).
 */
function RequestActionButton({ requestId, action, label, busyLabel, done }: { requestId: string; action: 'revoke' | 'withdraw'; label: string; busyLabel: string; done: () => void }) {
  const { api } = useConsole();
  const { busy, error, run } = useSubmit();
  const act = () =>
    run(async () => {
      await api.post(`/access-requests/${encodeURIComponent(requestId)}/${action}`);
      done();
    });
  return (
    <>
      <button type="button" className="secondary" disabled={busy} onClick={() => void act()}>
        {busy ? busyLabel : label}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </>
  );
}

const EXTEND_BY = ['PT30M', 'PT1H', 'PT2H', 'PT4H'];

/**
 * Ask for more time (POST /access-requests/{id}/extend, issue #17): how much, and why. It goes
 * through the same approvers as a new request; the end shown here moves once they approve.
 */
function ExtendControl({ requestId }: { requestId: string }) {
  const { api } = useConsole();
  const { busy, error, run } = useSubmit();
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState('PT1H');
  const [reason, setReason] = useState('');
  const [asked, setAsked] = useState<string>();
  // One key per form opened: a double click or a retry is the same extension.
  const [key] = useState(() => `ext-${crypto.randomUUID()}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.post<{ newEnd: string }>(`/access-requests/${encodeURIComponent(requestId)}/extend`, { by, reason }, { 'idempotency-key': key });
      setAsked(answer.newEnd);
      setOpen(false);
    });
  };
  if (asked) return <p role="status">Extension asked, to end <Time at={asked} />; the end shown moves once it is approved.</p>;
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Extend
      </button>
    );
  }
  return (
    <form onSubmit={submit} className="form" aria-label="Extend this grant">
      <label className="field">
        <span>By</span>
        <select value={by} onChange={(e) => setBy(e.target.value)}>
          {EXTEND_BY.map((d) => (
            <option key={d} value={d}>
              {durationInWords(d)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Why you need longer</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} required minLength={10} maxLength={500} rows={2} />
      </label>
      {error ? <ErrorNote error={error} /> : null}
      <button type="submit" disabled={busy}>
        {busy ? 'Asking…' : 'Ask to extend'}
      </button>
    </form>
  );
}

/** What I hold now and why, and my requests with their live status (polled every 3 s). */
export function MyAccessPage() {
  const loaded = useGet<MyAccess>('/api/my/access', 3000);
  const reload = loaded.state === 'ready' ? loaded.reload : () => {};
  return (
    <>
      <PageTitle lead="What you hold now and why, and what you have asked for. Statuses update by themselves.">My access</PageTitle>
      <Show loaded={loaded}>
        {({ holdings, requests }) => (
          <>
            <h2>What I hold</h2>
            <Table<Holding>
              caption="Entitlements you hold now"
              rows={holdings}
              rowKey={(h) => `${h.entitlementId}:${h.source}:${h.requestId ?? ''}`}
              empty="You hold nothing yet. Your role's access appears here once your hire is provisioned."
              columns={[
                { label: 'Entitlement', cell: (h) => h.name },
                { label: 'Why', cell: (h) => SOURCE[h.source] },
                { label: 'Since', cell: (h) => <Time at={h.since} /> },
                { label: 'Ends', cell: (h) => (h.expiresAt ? <Time at={h.expiresAt} withRelative /> : 'while your role has it') },
                {
                  label: 'Action',
                  cell: (h) =>
                    h.source === 'time-bound' && h.requestId ? (
                      <>
                        <RequestActionButton requestId={h.requestId} action="revoke" label="Revoke now" busyLabel="Revoking…" done={reload} /> <ExtendControl requestId={h.requestId} />
                      </>
                    ) : null,
                },
              ]}
            />
            <h2>My requests</h2>
            <Table<RequestView>
              caption="Your time-bound access requests"
              rows={requests}
              rowKey={(r) => r.requestId}
              empty={
                <>
                  You have not asked for anything. <Link href="/catalogue">Browse the catalogue</Link> to request time-bound access.
                </>
              }
              columns={[
                { label: 'Entitlement', cell: (r) => r.entitlementIds.join(', ') },
                { label: 'For', cell: (r) => <Duration value={r.duration} /> },
                { label: 'Status', cell: (r) => <Status status={r.status} /> },
                { label: 'Waiting for', cell: (r) => (r.waitingFor.length ? r.waitingFor.join(', ') : '—') },
                { label: 'Asked', cell: (r) => <Time at={r.createdAt} /> },
                { label: 'Ends', cell: (r) => <Time at={r.expiresAt} withRelative /> },
                { label: 'Action', cell: (r) => (r.status === 'pending-approval' ? <RequestActionButton requestId={r.requestId} action="withdraw" label="Withdraw" busyLabel="Withdrawing…" done={reload} /> : null) },
              ]}
            />
          </>
        )}
      </Show>
    </>
  );
}
