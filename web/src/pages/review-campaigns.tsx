import { useRef, useState, type FormEvent } from 'react';
import { useConsole } from '../context.ts';
import { useGet, useSubmit, type Loaded } from '../data.ts';
import type { CampaignRow, RecurringRow } from '../types.ts';
import { download, ErrorNote, Show, Table, Time } from '../ui.tsx';

/**
 * Operators: start a campaign, see the recent ones with their progress, remind, close early, download the evidence;
 * create a recurring campaign (an EventBridge Scheduler schedule), pause and resume it.
 */

const UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
type Unit = keyof typeof UNITS;

function DurationField({ label, value, unit, onValue, onUnit }: { label: string; value: string; unit: Unit; onValue: (v: string) => void; onUnit: (u: Unit) => void }) {
  const id = label.toLowerCase().replace(/[^a-z]+/g, '-');
  return (
    <fieldset className="duration">
      <legend>{label}</legend>
      <label className="field">
        <span>Number</span>
        <input id={`${id}-n`} type="number" inputMode="numeric" min={1} step={1} required value={value} onChange={(e) => onValue(e.target.value)} />
      </label>
      <label className="field">
        <span>Unit</span>
        <select value={unit} onChange={(e) => onUnit(e.target.value as Unit)}>
          {Object.keys(UNITS).map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** What an unanswered item becomes at the deadline (the campaign's default for that risk). */
function DefaultField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="keep">keep</option>
        <option value="revoke">revoke</option>
        <option value="flag">flag for the owner</option>
      </select>
    </label>
  );
}

function useDuration(value: string, unit: Unit) {
  const [v, setV] = useState(value);
  const [u, setU] = useState<Unit>(unit);
  return { field: { value: v, unit: u, onValue: setV, onUnit: setU }, seconds: () => Math.round(Number(v) * UNITS[u]) };
}

/**
 * What is wrong with a schedule expression, before anything is sent (the API checks the same rule,
 * domain/reviews/recurring.ts): rate(<positive n> <unit>, singular for 1) or cron(<six fields>).
 */
function recurrenceProblem(expression: string): string | undefined {
  const rate = /^rate\(([1-9]\d*) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) return (rate[1] === '1') === (rate[3] === '') ? undefined : 'Repeats: a rate is a positive number with the unit singular for 1 and plural above: rate(1 day), rate(90 days).';
  if (/^cron\(\S+( \S+){5}\)$/.test(expression)) return undefined;
  return 'Repeats: write rate(<n> minutes|hours|days) or cron(<six fields>), for example rate(90 days) or cron(0 9 ? JAN,APR,JUL,OCT 2#1 *).';
}

function StartCampaign({ done }: { done: (note: string) => void }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'all' | 'high' | 'entitlements' | 'department'>('high');
  const [department, setDepartment] = useState('');
  const [entitlements, setEntitlements] = useState('');
  const [lowDefault, setLowDefault] = useState('keep');
  const [highDefault, setHighDefault] = useState('revoke');
  const due = useDuration('14', 'days');
  const remind = useDuration('3', 'days');
  const escalate = useDuration('3', 'days');
  const [repeat, setRepeat] = useState(false);
  const [scheduleName, setScheduleName] = useState('');
  const [expression, setExpression] = useState('rate(90 days)');
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const { busy, error, run, fail } = useSubmit();
  const repeatsRef = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = repeat ? recurrenceProblem(expression.trim()) : undefined;
    if (problem) {
      fail(new Error(problem));
      repeatsRef.current?.focus();
      return Promise.resolve();
    }
    return run(async () => {
      const campaign = {
        name: name.trim(),
        scope:
          scope === 'all'
            ? { kind: 'all' }
            : scope === 'high'
              ? { kind: 'risk', atLeast: 'high' }
              : scope === 'entitlements'
                ? { kind: 'entitlements', entitlementIds: entitlements.split(/[\s,]+/).filter(Boolean) }
                : { kind: 'department', department: department.trim() },
        dueInSeconds: due.seconds(),
        remindEverySeconds: remind.seconds(),
        escalationSeconds: escalate.seconds(),
        defaults: { low: lowDefault, high: highDefault },
      };
      if (repeat) {
        const recurring = { name: scheduleName.trim(), expression: expression.trim(), timezone: timezone.trim() };
        const made = await api.post<{ scheduleName: string; change: 'created' | 'updated' }>('/api/review-campaigns', { campaign, recurring });
        setName('');
        setScheduleName('');
        done(`${made.change === 'created' ? 'Created' : 'Updated'} recurring campaign ${recurring.name} (${recurring.expression}, ${recurring.timezone}): each time it starts a campaign like this one.`);
        return;
      }
      const started = await api.post<{ campaignId: string }>('/api/review-campaigns', { campaign });
      setName('');
      done(`Started campaign ${started.campaignId}. Its snapshot is being taken; reviewers get their first mail in a moment.`);
    });
  };
  return (
    <form className="card form" aria-labelledby="start-title" onSubmit={(e) => void submit(e)}>
      <h3 id="start-title">Start a campaign</h3>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. Production access Q1" />
      </label>
      <label className="field">
        <span>Scope</span>
        <select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
          <option value="high">High-risk entitlements</option>
          <option value="all">All entitlements</option>
          <option value="entitlements">Listed entitlements</option>
          <option value="department">One department</option>
        </select>
      </label>
      {scope === 'entitlements' ? (
        <label className="field">
          <span>Entitlement ids, separated by commas (e.g. group:ProdAdmin, group:ProdReadOnly)</span>
          <input value={entitlements} onChange={(e) => setEntitlements(e.target.value)} required maxLength={2000} />
        </label>
      ) : null}
      {scope === 'department' ? (
        <label className="field">
          <span>Department</span>
          <input value={department} onChange={(e) => setDepartment(e.target.value)} required maxLength={100} />
        </label>
      ) : null}
      <DurationField label="Reviewers answer within" {...due.field} />
      <DurationField label="Remind every" {...remind.field} />
      <DurationField label="Then escalate for" {...escalate.field} />
      <DefaultField label="Unanswered low-risk items" value={lowDefault} onChange={setLowDefault} />
      <DefaultField label="Unanswered high-risk items (revoke recommended)" value={highDefault} onChange={setHighDefault} />
      <label className="check">
        <input type="checkbox" checked={repeat} onChange={(e) => setRepeat(e.target.checked)} />
        <span>Repeat on a schedule (a recurring campaign) instead of starting one now</span>
      </label>
      {repeat ? (
        <fieldset className="recurrence">
          <legend>Schedule</legend>
          <label className="field">
            <span>Schedule name (letters, digits, - _ .)</span>
            <input value={scheduleName} onChange={(e) => setScheduleName(e.target.value)} required maxLength={52} placeholder="prod-quarterly" />
          </label>
          <label className="field">
            <span>Repeats</span>
            <input ref={repeatsRef} value={expression} onChange={(e) => setExpression(e.target.value)} required maxLength={200} aria-describedby="repeats-hint" />
          </label>
          <p id="repeats-hint" className="muted">
            <code>rate(90 days)</code>, <code>rate(1 day)</code>, or a cron with six fields: <code>cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)</code> (09:00 on the
            first Monday of each quarter).
          </p>
          <label className="field">
            <span>Time zone (cron times are read in it)</span>
            <input value={timezone} onChange={(e) => setTimezone(e.target.value)} required maxLength={50} placeholder="Europe/Berlin" />
          </label>
        </fieldset>
      ) : null}
      <button type="submit" disabled={busy}>
        {repeat ? 'Create recurring campaign' : 'Start campaign'}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}

function Actions({ row, done }: { row: CampaignRow; done: (note: string) => void }) {
  const { api } = useConsole();
  const { error, run } = useSubmit();
  const label = row.name ?? row.campaignId;
  const path = `/api/review-campaigns/${encodeURIComponent(row.campaignId)}`;
  const open = row.state === 'open';
  return (
    <div className="row-actions">
      {open ? (
        <>
          <button type="button" className="secondary" onClick={() => void run(async () => {
            const r = await api.post<{ reviewers: number; items: number }>(`${path}/remind`);
            done(`Reminded ${r.reviewers} reviewer${r.reviewers === 1 ? '' : 's'} of ${r.items} open item${r.items === 1 ? '' : 's'} in ${label}.`);
          })}>
            Remind<span className="sr-only"> reviewers of {label}</span>
          </button>
          <button type="button" className="secondary" onClick={() => void run(async () => {
            await api.post(`${path}/close`);
            done(`Closing ${label}: the defaults apply to unanswered items at its next check, then revocations run and it closes.`);
          })}>
            Close<span className="sr-only"> {label}</span>
          </button>
        </>
      ) : null}
      {row.counts ? (
        <>
          <button type="button" className="secondary" onClick={() => void run(async () => download(`${row.campaignId}.csv`, await api.text(`${path}?format=csv`)))}>
            CSV<span className="sr-only"> report of {label}</span>
          </button>
          <button type="button" className="secondary" onClick={() => void run(async () => download(`${row.campaignId}.json`, await api.text(`${path}?format=json`), 'application/json'))}>
            JSON<span className="sr-only"> report of {label}</span>
          </button>
        </>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}

const progress = (row: CampaignRow): string =>
  row.counts ? `${row.itemCount ?? 0} items: ${row.counts.pending} pending, ${row.counts.keep} kept, ${row.counts.revoke} revoked${row.counts.flag ? `, ${row.counts.flag} flagged` : ''}${row.counts.defaulted ? ` (${row.counts.defaulted} by default)` : ''}` : 'snapshot not taken yet';

function Recurring({ loaded, done }: { loaded: Loaded<{ items: RecurringRow[] }>; done: (note: string) => void }) {
  const { api } = useConsole();
  const { busy, error, run } = useSubmit();
  const toggle = (row: RecurringRow) =>
    run(async () => {
      await api.post(`/api/review-campaigns/${encodeURIComponent(row.name)}/${row.paused ? 'resume' : 'pause'}`);
      done(row.paused ? `Resumed ${row.name}: it starts a campaign at its next time.` : `Paused ${row.name}: no campaign starts until it is resumed.`);
    });
  return (
    <section aria-labelledby="recurring-title">
      <h3 id="recurring-title">Recurring campaigns</h3>
      <Show loaded={loaded}>
        {({ items }) => (
          <Table<RecurringRow>
            caption="Recurring campaigns"
            rows={items}
            rowKey={(row) => row.scheduleName}
            empty="No recurring campaigns. Tick “Repeat on a schedule” below to create one."
            columns={[
              { label: 'Name', cell: (row) => (<>{row.campaignName ?? '—'} <code>{row.name}</code></>) },
              { label: 'Repeats', cell: (row) => <code>{row.expression}</code> },
              { label: 'Time zone', cell: (row) => row.timezone },
              { label: 'State', cell: (row) => <span className={`badge ${row.paused ? 'campaign-paused' : 'campaign-open'}`}>{row.paused ? 'paused' : 'active'}</span> },
              {
                label: 'Actions',
                cell: (row) => (
                  <button type="button" className="secondary" disabled={busy} onClick={() => void toggle(row)}>
                    {row.paused ? 'Resume' : 'Pause'}
                    <span className="sr-only"> {row.name}</span>
                  </button>
                ),
              },
            ]}
          />
        )}
      </Show>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}

export function Campaigns() {
  const loaded = useGet<{ items: CampaignRow[] }>('/api/review-campaigns', 5000);
  const recurring = useGet<{ items: RecurringRow[] }>('/api/review-campaigns?view=recurring');
  const [note, setNote] = useState('');
  const done = (text: string) => {
    setNote(text);
    if (loaded.state === 'ready') loaded.reload();
    if (recurring.state === 'ready') recurring.reload();
  };
  return (
    <section aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campaigns</h2>
      <p className="note ok" role="status" hidden={!note}>
        {note}
      </p>
      <Show loaded={loaded}>
        {({ items }) => (
          <Table<CampaignRow>
            caption="Recent campaigns"
            rows={items}
            rowKey={(row) => row.campaignId}
            empty="No campaigns yet. Start one below; reviewers are mailed a link and see their items on this page."
            columns={[
              { label: 'Campaign', cell: (row) => (<>{row.name ?? '—'} <code>{row.campaignId}</code></>) },
              { label: 'State', cell: (row) => <span className={`badge campaign-${row.state.replace(' ', '-')}`}>{row.state}</span> },
              { label: 'Progress', cell: progress },
              { label: 'Due', cell: (row) => <Time at={row.dueAt} /> },
              { label: 'Actions', cell: (row) => <Actions row={row} done={done} /> },
            ]}
          />
        )}
      </Show>
      <Recurring loaded={recurring} done={done} />
      <StartCampaign done={done} />
    </section>
  );
}
