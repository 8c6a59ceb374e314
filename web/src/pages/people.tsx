import { useState, type FormEvent } from 'react';
import { useConsole } from '../context.ts';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import type { Finding, Page, Person, PersonDetail } from '../types.ts';
import type { Holding } from '#console/views.ts';
import { ErrorNote, PageTitle, Show, Status, Table, Time } from '../ui.tsx';

/** Operators: search a person; reconciliation findings with their state. */
export function PeoplePage() {
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const people = useGet<Page<Person>>(`/api/people?q=${encodeURIComponent(search)}`);
  const findings = useGet<Page<Finding>>('/api/findings');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(query.trim());
  };
  return (
    <>
      <PageTitle lead="Find a person to see what they hold and why, their history, and to end their access at once.">People</PageTitle>
      <form role="search" onSubmit={submit} className="inline-form">
        <label className="field">
          <span>Name, e-mail or employee id</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <h2>{search ? `Matching “${search}”` : 'Everyone active'}</h2>
      <Show loaded={people}>
        {({ items }) => (
          <Table<Person>
            caption="People"
            rows={items}
            rowKey={(p) => p.employeeId}
            empty={search ? `Nobody matches “${search}”. Try part of a name or the e-mail address.` : 'No people yet: hires appear here once the HRIS sends them.'}
            columns={[
              { label: 'Name', cell: (p) => <Link href={`/people/${encodeURIComponent(p.employeeId)}`}>{p.name}</Link> },
              { label: 'Employee id', cell: (p) => <code>{p.employeeId}</code> },
              { label: 'E-mail', cell: (p) => p.email },
              { label: 'Role', cell: (p) => p.role },
              { label: 'Status', cell: (p) => <Status status={p.status} /> },
            ]}
          />
        )}
      </Show>
      <h2>Reconciliation findings</h2>
      <Show loaded={findings}>
        {({ items }) => (
          <Table<Finding>
            caption="Reconciliation findings"
            rows={items}
            rowKey={(f) => f.findingId}
            empty="No findings: Identity Center and Gatehouse agree."
            columns={[
              { label: 'Found', cell: (f) => <Time at={f.foundAt} /> },
              { label: 'Kind', cell: (f) => f.kind },
              { label: 'Subject', cell: (f) => f.subject },
              { label: 'State', cell: (f) => <Status status={f.state} /> },
            ]}
          />
        )}
      </Show>
    </>
  );
}

function KillSwitch({ person, done }: { person: Person; done: () => void }) {
  const { api } = useConsole();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const pull = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.post('/operator/leavers', { employeeId: person.employeeId, reason }, { 'idempotency-key': crypto.randomUUID() });
      setSent(true);
      done();
    } catch (caught) {
      setError(caught);
    }
  };
  if (person.status !== 'active') return <p className="note">{person.name} has left; there is no access to end.</p>;
  return (
    <form className="card danger-zone" onSubmit={(e) => void pull(e)}>
      <h2>Kill switch</h2>
      <p>Ends all of {person.name}’s access now: Identity Center user, group memberships, workstation. It cannot be undone here.</p>
      <label className="field">
        <span>Reason (kept in the audit trail)</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
      </label>
      <button type="submit" className="danger" disabled={sent}>
        {sent ? 'Access is being removed…' : 'End all access now'}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}

/** Operators: one person's holdings by source, timeline from the audit table, kill switch. */
export function PersonPage({ employeeId }: { employeeId: string }) {
  const loaded = useGet<PersonDetail>(`/api/people/${encodeURIComponent(employeeId)}`, 3000);
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} retry={loaded.retry} />;
  return (
    <Show loaded={loaded}>
      {({ person, holdings, timeline }) => (
        <>
          <PageTitle lead={`${person.employeeId} · ${person.email} · ${person.role} · ${person.status}`}>{person.name}</PageTitle>
          <h2>Holdings by source</h2>
          <Table<Holding>
            caption={`What ${person.name} holds`}
            rows={holdings}
            rowKey={(h) => `${h.entitlementId}:${h.source}:${h.requestId ?? ''}`}
            empty="Holds nothing."
            columns={[
              { label: 'Entitlement', cell: (h) => h.name },
              { label: 'Source', cell: (h) => h.source },
              { label: 'Since', cell: (h) => <Time at={h.since} /> },
              { label: 'Ends', cell: (h) => <Time at={h.expiresAt} /> },
            ]}
          />
          <KillSwitch person={person} done={loaded.state === 'ready' ? loaded.reload : () => {}} />
          <h2>Timeline</h2>
          <Table
            caption={`${person.name}'s audit timeline`}
            rows={timeline}
            rowKey={(t) => `${t.at}:${t.event}:${t.detail}`}
            empty="No audit entries yet."
            columns={[
              { label: 'When', cell: (t) => <Time at={t.at} /> },
              { label: 'What', cell: (t) => t.event },
              { label: 'By', cell: (t) => t.actor },
              { label: 'Detail', cell: (t) => t.detail },
            ]}
          />
        </>
      )}
    </Show>
  );
}
