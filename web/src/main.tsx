import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api.ts';
import { App } from './app.tsx';
import { CALLBACK_PATH, createAuth, type Auth, type Session } from './auth.ts';
import { loadConfig, type ConsoleConfig } from './config.ts';
import { Console } from './context.ts';
import './styles.css';

type Boot = { state: 'starting' } | { state: 'failed'; message: string } | { state: 'signed-out' } | { state: 'signed-in'; session: Session };

function SignedOut({ auth }: { auth: Auth }) {
  return (
    <main id="main" className="signin">
      <h1>Gatehouse console</h1>
      <p>Request time-bound access, decide approvals, and see who holds what.</p>
      <button type="button" onClick={() => void auth.signIn(window.location.pathname + window.location.search)}>
        Sign in
      </button>
    </main>
  );
}

function Root({ config, auth }: { config: ConsoleConfig; auth: Auth }) {
  const [boot, setBoot] = useState<Boot>({ state: 'starting' });
  useEffect(() => {
    const start = async (): Promise<Boot> => {
      if (window.location.pathname === CALLBACK_PATH) {
        const next = await auth.completeSignIn();
        window.history.replaceState(null, '', next);
      }
      const session = await auth.current();
      return session ? { state: 'signed-in', session } : { state: 'signed-out' };
    };
    start().then(setBoot, (error: unknown) => setBoot({ state: 'failed', message: error instanceof Error ? error.message : String(error) }));
  }, [auth]);
  const signOut = () => void auth.signOut().then(() => setBoot({ state: 'signed-out' }));
  const value = useMemo(() => {
    if (boot.state !== 'signed-in') return undefined;
    const api = createApi(
      config.apiUrl,
      async () => (await auth.current())?.accessToken,
      () => setBoot({ state: 'signed-out' }),
    );
    const groups = boot.session.groups;
    return { api, session: boot.session, config, isOperator: groups.includes(config.operatorGroup), isAuditor: groups.includes(config.auditorGroup) };
  }, [boot, auth, config]);
  if (boot.state === 'starting') return <p className="muted">Starting…</p>;
  if (boot.state === 'failed') {
    return (
      <main id="main" className="signin">
        <h1>Sign-in failed</h1>
        <p role="alert">{boot.message}</p>
        <button type="button" onClick={() => void auth.signIn('/')}>
          Sign in again
        </button>
      </main>
    );
  }
  if (!value) return <SignedOut auth={auth} />;
  return (
    <Console.Provider value={value}>
      <App onSignOut={signOut} />
    </Console.Provider>
  );
}

async function main(): Promise<void> {
  const element = document.getElementById('root');
  if (!element) throw new Error('index.html has no #root');
  const root = createRoot(element);
  try {
    const config = await loadConfig();
    root.render(
      <StrictMode>
        <Root config={config} auth={createAuth(config)} />
      </StrictMode>,
    );
  } catch (error) {
    root.render(
      <main id="main" className="signin">
        <h1>The console cannot start</h1>
        <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    );
  }
}

void main();
