import { useConsole } from '../context.ts';
import { useGet, useSubmit } from '../data.ts';
import { Link } from '../router.tsx';
import type { MyAccess } from '../types.ts';
import type { Holding, RequestView } from '#console/views.ts';
import { Duration, ErrorNote, PageTitle, Show, Status, Table, Time } from '../ui.tsx';

const SOURCE = { birthright: 'Everyone', role: 'Your role', 'time-bound': 'Time-bound grant' } as const;

function RevokeButton({ requestId, done }: { requestId: string; done: () => void }) {
  const { api } = useConsole();
  const { busy, error, run } = useSubmit();
  const revoke = () =>
    run(async () => {
      await api.post(`/access-requests/${encodeURIComponent(requestId)}/revoke`);
      done();
    });
  return (
    <>
      <button type="button" className="secondary" disabled={busy} onClick={() => void revoke()}>
        {busy ? 'Revoking…' : 'Revoke now'}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </>
  );
}

/** A request still waiting for approval can be taken back; the approvers are told and their links stop working. */
function WithdrawButton({ requestId, done }: { requestId: string; done: () => void }) {
  const { api } = useConsole();
  const { busy, error, run } = useSubmit();
  const withdraw = () =>
    run(async () => {
      await api.post(`/access-requests/${encodeURIComponent(requestId)}/withdraw`);
      done();
    });
  return (
    <>
      <button type="button" className="secondary" disabled={busy} onClick={() => void withdraw()}>
        {busy ? 'Withdrawing…' : 'Withdraw'}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </>
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
                { label: 'Action', cell: (h) => (h.source === 'time-bound' && h.requestId ? <RevokeButton requestId={h.requestId} done={reload} /> : null) },
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
                { label: 'Action', cell: (r) => (r.status === 'pending-approval' ? <WithdrawButton requestId={r.requestId} done={reload} /> : null) },
              ]}
            />
          </>
        )}
      </Show>
    </>
  );
}
