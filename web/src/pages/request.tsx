import { useState, type FormEvent } from 'react';
import { useConsole } from '../context.ts';
import { useGet, useSubmit } from '../data.ts';
import { durationInWords, durationMinutes } from '../format.ts';
import { navigate } from '../router.tsx';
import type { ApproverPreview, CatalogueItem, Page } from '../types.ts';
import { ErrorNote, PageTitle, Show } from '../ui.tsx';

const CHOICES = ['PT1H', 'PT2H', 'PT4H', 'PT8H', 'P1D', 'P2D', 'P1W'];

function Approvers({ entitlementId, duration }: { entitlementId: string; duration: string }) {
  const loaded = useGet<ApproverPreview>(`/api/catalogue/${encodeURIComponent(entitlementId)}/approvers?duration=${encodeURIComponent(duration)}`);
  return (
    <section aria-labelledby="who-approves" className="card">
      <h2 id="who-approves">Who will approve</h2>
      <Show loaded={loaded}>
        {(preview) =>
          preview.decision === 'auto-approved' ? (
            <p>No approval needed: low-risk access is granted as soon as you submit.</p>
          ) : (
            <ol>
              {preview.approvers.map((a) => (
                <li key={a.step}>
                  <strong>{a.email}</strong> <span className="muted">({a.reason})</span>
                </li>
              ))}
            </ol>
          )
        }
      </Show>
    </section>
  );
}

/** Entitlement, duration, justification; shows who will have to approve before I submit. */
export function RequestPage({ entitlement }: { entitlement: string | null }) {
  const { api } = useConsole();
  const catalogue = useGet<Page<CatalogueItem>>('/api/catalogue');
  const [entitlementId, setEntitlementId] = useState(entitlement ?? '');
  const [duration, setDuration] = useState('PT2H');
  const [justification, setJustification] = useState('');
  const { busy, error, run } = useSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      await api.post('/access-requests', { entitlementId, duration, justification }, { 'idempotency-key': crypto.randomUUID() });
      navigate('/my-access');
    });
  };

  return (
    <>
      <PageTitle lead="Time-bound access ends by itself when the time is up.">Request time-bound access</PageTitle>
      <Show loaded={catalogue}>
        {({ items }) => {
          const requestable = items.filter((i) => i.maxDuration);
          const chosen = requestable.find((i) => i.id === entitlementId);
          const max = chosen?.maxDuration ? durationMinutes(chosen.maxDuration) : undefined;
          const choices = CHOICES.filter((c) => max === undefined || (durationMinutes(c) ?? 0) <= max);
          return (
            <form onSubmit={(e) => void submit(e)} className="form">
              <label className="field">
                <span>Entitlement</span>
                <select value={entitlementId} onChange={(e) => setEntitlementId(e.target.value)} required>
                  <option value="">Choose…</option>
                  {requestable.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name} ({i.risk} risk, up to {durationInWords(i.maxDuration ?? '')})
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>For how long</span>
                <select value={choices.includes(duration) ? duration : (choices[0] ?? '')} onChange={(e) => setDuration(e.target.value)}>
                  {choices.map((c) => (
                    <option key={c} value={c}>
                      {durationInWords(c)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Why you need it</span>
                <textarea value={justification} onChange={(e) => setJustification(e.target.value)} required minLength={10} maxLength={500} rows={3} placeholder="e.g. INC-1234: restart the payments service" />
              </label>
              {chosen ? <Approvers entitlementId={chosen.id} duration={choices.includes(duration) ? duration : (choices[0] ?? duration)} /> : null}
              {error ? <ErrorNote error={error} /> : null}
              <button type="submit" disabled={busy || !chosen}>
                {busy ? 'Submitting…' : 'Submit request'}
              </button>
            </form>
          );
        }}
      </Show>
    </>
  );
}
