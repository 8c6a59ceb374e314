import { useState, type FormEvent } from 'react';
import { useConsole } from '../context.ts';
import { useGet } from '../data.ts';
import type { AuditTable, ChainStatus } from '../types.ts';
import { download, ErrorNote, PageTitle, Show, Table, Time } from '../ui.tsx';
import { AuditLog } from './audit-log.tsx';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A cell as the CLI writes it; times in the viewer's zone (UTC on hover), the CSV keeps the CLI's text. */
function Cell({ value }: { value: string | number | undefined }) {
  const text = String(value ?? '');
  return ISO_TIME.test(text) ? <Time at={text} /> : <>{text}</>;
}

type QueryName = 'holders' | 'approver' | 'open-grants' | 'leftover-grants';

const QUERIES: { name: QueryName; title: string; lead: string }[] = [
  { name: 'holders', title: 'Who held an entitlement at a moment', lead: 'Everyone who held it at that instant, and on whose approval.' },
  { name: 'approver', title: 'Every decision of an approver', lead: 'Approvals and denials by one approver (their e-mail address).' },
  { name: 'open-grants', title: 'Open grants', lead: 'Grants applied and not revoked.' },
  { name: 'leftover-grants', title: 'Grants left after a leave', lead: 'Open grants of people who have left: each one is a finding.' },
];

function QueryPanel({ name, title, lead }: (typeof QUERIES)[number]) {
  const { api } = useConsole();
  const [entitlement, setEntitlement] = useState('');
  const [at, setAt] = useState(() => new Date().toISOString().slice(0, 16));
  const [approver, setApprover] = useState('');
  const [path, setPath] = useState<string>();
  const [error, setError] = useState<unknown>();
  const result = useGet<AuditTable>(path);
  const params = (): URLSearchParams => {
    if (name === 'holders') return new URLSearchParams({ entitlementId: entitlement, at: new Date(at).toISOString() });
    if (name === 'approver') return new URLSearchParams({ approver });
    return new URLSearchParams();
  };
  const run = (event: FormEvent) => {
    event.preventDefault();
    setPath(`/api/audit/${name}?${params().toString()}`);
  };
  const csv = async () => {
    setError(undefined);
    try {
      download(`${name}.csv`, await api.text(`/api/audit/${name}?${params().toString()}&format=csv`));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section className="card" aria-labelledby={`q-${name}`}>
      <h2 id={`q-${name}`}>{title}</h2>
      <p className="muted">{lead}</p>
      <form className="inline-form" onSubmit={run}>
        {name === 'holders' ? (
          <>
            <label className="field">
              <span>Entitlement id</span>
              <input value={entitlement} onChange={(e) => setEntitlement(e.target.value)} required placeholder="group:ProdAdmin" />
            </label>
            <label className="field">
              <span>At (your local time)</span>
              <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
            </label>
          </>
        ) : null}
        {name === 'approver' ? (
          <label className="field">
            <span>Approver e-mail</span>
            <input type="email" value={approver} onChange={(e) => setApprover(e.target.value)} required />
          </label>
        ) : null}
        <button type="submit">Show</button>
        <button type="button" className="secondary" onClick={() => void csv()}>
          Download CSV
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {path ? (
        <Show loaded={result}>
          {({ columns, rows }) => (
            <Table
              caption={title}
              rows={rows.map((cells, i) => ({ i, cells }))}
              rowKey={(r) => String(r.i)}
              empty="No rows: nothing in the audit trail matches."
              columns={columns.map((label, c) => ({ label, cell: (r: { cells: (string | number)[] }) => <Cell value={r.cells[c]} /> }))}
            />
          )}
        </Show>
      ) : null}
    </section>
  );
}

function Chains() {
  const loaded = useGet<ChainStatus>('/api/audit/chains');
  return (
    <section className="card" aria-labelledby="chains">
      <h2 id="chains">Integrity of the audit chains</h2>
      <Show loaded={loaded}>
        {(status) =>
          status.broken.length === 0 ? (
            <p className="note ok">
              All {status.subjects} chains intact ({status.entries} entries, every hash checked).
            </p>
          ) : (
            <div className="note error" role="alert">
              <p>{status.broken.length} chains are broken: an entry was changed or removed. Compare with the S3 export and tell security.</p>
              <ul>
                {status.broken.map((b) => (
                  <li key={b.subject}>
                    {b.subject}: {b.problem}
                  </li>
                ))}
              </ul>
            </div>
          )
        }
      </Show>
    </section>
  );
}

/** Auditors: the CLI's questions over the audit table, each as a table with CSV download. */
export function AuditPage() {
  return (
    <>
      <PageTitle lead="The same questions, computed by the same code, as `npm run audit -- query …`.">Audit</PageTitle>
      <Chains />
      <AuditLog />
      {QUERIES.map((q) => (
        <QueryPanel key={q.name} {...q} />
      ))}
    </>
  );
}
