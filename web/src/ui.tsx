import { useEffect, useRef, type ReactNode } from 'react';
import { adviceFor } from './api.ts';
import type { Loaded } from './data.ts';
import { durationInWords, relative, timeTexts } from './format.ts';

/** A time in the viewer's zone; UTC on hover (title) and in the machine-readable `dateTime`. */
export function Time({ at, withRelative = false }: { at: string | undefined | null; withRelative?: boolean }) {
  if (!at) return <span className="muted">—</span>;
  const texts = timeTexts(at);
  if (!texts) return <span>{at}</span>;
  return (
    <time dateTime={at} title={texts.utc}>
      {texts.local}
      {withRelative ? <span className="muted"> ({relative(new Date(at))})</span> : null}
    </time>
  );
}

export function Duration({ value }: { value: string | number | undefined | null }) {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  return <span title={typeof value === 'string' ? value : undefined}>{durationInWords(value)}</span>;
}

export function Risk({ risk }: { risk: string }) {
  return <span className={`badge risk-${risk}`}>{risk === 'high' ? 'High risk' : 'Low risk'}</span>;
}

export function Status({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status.replace(/[-_]/g, ' ').toLowerCase()}</span>;
}

/** A page's heading; focus moves to it when the page opens, so keyboard and screen-reader users land there. */
export function PageTitle({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <header className="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {lead ? <p className="lead">{lead}</p> : null}
    </header>
  );
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="note error" role="alert">
      <p>{adviceFor(error)}</p>
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="note empty">{children}</p>;
}

/** Loading, error (with retry) and ready states of one GET, the same on every page. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.state === 'loading') return <p className="muted" aria-live="polite">Loading…</p>;
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} retry={loaded.retry} />;
  return <>{children(loaded.data)}</>;
}

export interface Column<R> {
  label: string;
  cell: (row: R) => ReactNode;
}

/** A table that scrolls sideways inside itself on a narrow screen instead of widening the page. */
export function Table<R>({ caption, columns, rows, rowKey, empty }: { caption: string; columns: Column<R>[]; rows: R[]; rowKey: (row: R) => string; empty: ReactNode }) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.label} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Saves `text` as a file the browser downloads (CSV, JSON), named `name`. */
export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
