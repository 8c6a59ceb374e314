import { useState, type FormEvent } from 'react';
import type { AuditLogRow } from '#console/audit.ts';
import { useConsole } from '../context.ts';
import { useSubmit } from '../data.ts';
import type { Page } from '../types.ts';
import { ErrorNote, Table, Time } from '../ui.tsx';

type By = 'subject' | 'actor' | 'day';
const PAGE_SIZE = 50;
const BY: { by: By; label: string; field: string; placeholder: string }[] = [
  { by: 'subject', label: 'Person', field: 'Employee id', placeholder: 'E1001' },
  { by: 'actor', label: 'Actor', field: 'Actor', placeholder: 'approver:alice@example.com' },
  { by: 'day', label: 'Day', field: 'Day (UTC)', placeholder: '' },
];

/**
 * The audit log, a page at a time: by person, by actor (with a time range) or by UTC day (with a
 * time range). Each filter is a key of the audit table (GET /api/audit/entries asks DynamoDB by
 * it, never scans); "Load more" sends the page's token, so a page may be short (DynamoDB stops a
 * page at 1 MB) and still be followed by another.
 */
export function AuditLog() {
  const { api } = useConsole();
  const [by, setBy] = useState<By>('subject');
  const [key, setKey] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [listed, setListed] = useState<{ query: URLSearchParams; rows: AuditLogRow[]; nextToken: string | null }>();
  const submit = useSubmit();

  const range = (value: string): string | undefined => {
    if (!value) return undefined;
    // A day's range is a time of that UTC day; an actor's is a moment in the viewer's zone.
    return by === 'day' ? `${key}T${value}:00.000Z` : new Date(value).toISOString();
  };
  const fetchPage = async (query: URLSearchParams, nextToken: string | null, before: AuditLogRow[]) => {
    const params = new URLSearchParams(query);
    if (nextToken) params.set('nextToken', nextToken);
    const page = await api.get<Page<AuditLogRow>>(`/api/audit/entries?${params.toString()}`);
    setListed({ query, rows: [...before, ...page.items], nextToken: page.nextToken });
  };
  const list = (event: FormEvent) => {
    event.preventDefault();
    const query = new URLSearchParams({ [by]: key.trim(), limit: String(PAGE_SIZE) });
    const [start, end] = by === 'subject' ? [] : [range(from), range(to)];
    if (start) query.set('from', start);
    if (end) query.set('to', end);
    void submit.run(() => fetchPage(query, null, []));
  };
  const current = BY.find((b) => b.by === by)!;

  return (
    <section className="card" aria-labelledby="audit-log">
      <h2 id="audit-log">Audit log</h2>
      <p className="muted">Entries newest first, {PAGE_SIZE} at a time, by one person, one actor or one UTC day.</p>
      <form className="inline-form" onSubmit={list}>
        <label className="field">
          <span>List by</span>
          <select value={by} onChange={(e) => { setBy(e.target.value as By); setKey(''); setFrom(''); setTo(''); }}>
            {BY.map((b) => (
              <option key={b.by} value={b.by}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{current.field}</span>
          <input type={by === 'day' ? 'date' : 'text'} value={key} onChange={(e) => setKey(e.target.value)} required placeholder={current.placeholder} />
        </label>
        {by !== 'subject' ? (
          <>
            <label className="field">
              <span>{by === 'day' ? 'From (UTC time, optional)' : 'From (your local time, optional)'}</span>
              <input type={by === 'day' ? 'time' : 'datetime-local'} value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label className="field">
              <span>{by === 'day' ? 'To (UTC time, optional)' : 'To (your local time, optional)'}</span>
              <input type={by === 'day' ? 'time' : 'datetime-local'} value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
          </>
        ) : null}
        <button type="submit" disabled={submit.busy}>
          List
        </button>
      </form>
      {submit.error ? <ErrorNote error={submit.error} /> : null}
      {listed ? (
        <>
          <Table
            caption="Audit log entries"
            rows={listed.rows}
            rowKey={(r) => `${r.subject}#${r.seq}`}
            empty="No entries for this filter."
            columns={[
              { label: 'At', cell: (r) => <Time at={r.at} /> },
              { label: 'Person', cell: (r) => r.subject },
              { label: 'Seq', cell: (r) => r.seq },
              { label: 'Event', cell: (r) => r.kind },
              { label: 'Actor', cell: (r) => r.actor },
              { label: 'Entitlement', cell: (r) => r.entitlementId },
              { label: 'Reason', cell: (r) => r.reason },
            ]}
          />
          <p className="muted" aria-live="polite">
            {listed.rows.length} {listed.rows.length === 1 ? 'entry' : 'entries'} shown{listed.nextToken ? '; there are more.' : '; that is all of them.'}
          </p>
          {listed.nextToken ? (
            <button type="button" className="secondary" disabled={submit.busy} onClick={() => void submit.run(() => fetchPage(listed.query, listed.nextToken, listed.rows))}>
              {submit.busy ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
