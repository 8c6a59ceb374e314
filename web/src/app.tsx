import type { ReactNode } from 'react';
import { useConsole } from './context.ts';
import { ApprovalsPage } from './pages/approvals.tsx';
import { AuditPage } from './pages/audit.tsx';
import { CataloguePage } from './pages/catalogue.tsx';
import { MyAccessPage } from './pages/my-access.tsx';
import { PeoplePage, PersonPage } from './pages/people.tsx';
import { RequestPage } from './pages/request.tsx';
import { ReviewsPage } from './pages/reviews.tsx';
import { WorkflowsPage } from './pages/workflows.tsx';
import { Link, useLocation } from './router.tsx';
import { PageTitle } from './ui.tsx';

interface NavItem {
  href: string;
  label: string;
  who?: 'operator' | 'auditor';
}

const NAV: NavItem[] = [
  { href: '/catalogue', label: 'Catalogue' },
  { href: '/request', label: 'Request' },
  { href: '/my-access', label: 'My access' },
  { href: '/inbox', label: 'Approvals' },
  { href: '/reviews', label: 'Reviews' },
  { href: '/people', label: 'People', who: 'operator' },
  { href: '/workflows', label: 'Workflows', who: 'operator' },
  { href: '/audit', label: 'Audit', who: 'auditor' },
];

function Forbidden({ what }: { what: string }) {
  return (
    <PageTitle lead={`This page is for ${what}. If you need it, ask an operator to add you to the group.`}>
      Not allowed
    </PageTitle>
  );
}

function NotFound() {
  return <PageTitle lead="There is no such page. Use the menu to find what you need.">Page not found</PageTitle>;
}

function route(path: string, query: URLSearchParams, roles: { isOperator: boolean; isAuditor: boolean }): ReactNode {
  const operators = (page: ReactNode) => (roles.isOperator ? page : <Forbidden what="operators" />);
  if (path === '/' || path === '/my-access') return <MyAccessPage />;
  if (path === '/catalogue') return <CataloguePage />;
  if (path === '/request') return <RequestPage entitlement={query.get('entitlement')} />;
  if (path === '/inbox') return <ApprovalsPage />;
  if (path === '/reviews') return <ReviewsPage />;
  if (path === '/people') return operators(<PeoplePage />);
  const person = /^\/people\/([^/]+)$/.exec(path);
  if (person) return operators(<PersonPage employeeId={decodeURIComponent(person[1] ?? '')} />);
  if (path === '/workflows') return operators(<WorkflowsPage />);
  if (path === '/audit') return roles.isAuditor ? <AuditPage /> : <Forbidden what="auditors" />;
  return <NotFound />;
}

export function App({ onSignOut }: { onSignOut: () => void }) {
  const { session, isOperator, isAuditor } = useConsole();
  const location = useLocation();
  const path = location.pathname;
  const visible = NAV.filter((item) => !item.who || (item.who === 'operator' ? isOperator : isAuditor));
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Gatehouse
        </Link>
        <nav aria-label="Console">
          <ul>
            {visible.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={path === item.href || (path === '/' && item.href === '/my-access') ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span title={session.groups.length ? `Groups: ${session.groups.join(', ')}` : 'No groups'}>{session.email}</span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{route(path, location.searchParams, { isOperator, isAuditor })}</main>
    </>
  );
}
