import { useState } from 'react';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import type { CatalogueItem, Page } from '../types.ts';
import { Duration, Empty, PageTitle, Risk, Show } from '../ui.tsx';

/** What I may request: every entitlement with its description, risk, owner and longest grant. */
export function CataloguePage() {
  const loaded = useGet<Page<CatalogueItem>>('/api/catalogue');
  const [filter, setFilter] = useState('');
  return (
    <>
      <PageTitle lead="Everything Gatehouse can grant. Entitlements with a maximum duration can be requested as time-bound access.">Catalogue</PageTitle>
      <label className="field">
        <span>Find an entitlement</span>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name or description" />
      </label>
      <Show loaded={loaded}>
        {({ items }) => {
          const wanted = filter.trim().toLowerCase();
          const shown = items.filter((item) => !wanted || `${item.name} ${item.description} ${item.id}`.toLowerCase().includes(wanted));
          if (shown.length === 0) return <Empty>Nothing matches “{filter}”. Try a shorter word.</Empty>;
          return (
            <ul className="cards">
              {shown.map((item) => (
                <li key={item.id} className="card">
                  <h2>{item.name}</h2>
                  <p>{item.description}</p>
                  <dl className="facts">
                    <dt>Risk</dt>
                    <dd>
                      <Risk risk={item.risk} />
                    </dd>
                    <dt>Owner</dt>
                    <dd>{item.owner}</dd>
                    <dt>Maximum duration</dt>
                    <dd>{item.maxDuration ? <Duration value={item.maxDuration} /> : 'granted by role only'}</dd>
                  </dl>
                  {item.maxDuration ? (
                    <Link className="button" href={`/request?entitlement=${encodeURIComponent(item.id)}`}>
                      Request {item.name}
                    </Link>
                  ) : null}
                </li>
              ))}
            </ul>
          );
        }}
      </Show>
    </>
  );
}
