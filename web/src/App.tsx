import { useEffect } from 'react';
import { QueryCacheProvider } from './data/useQuery.js';
import { AppShell } from './layout/AppShell.js';
import { LoginPage } from './pages/LoginPage.js';
import { SessionProvider, useSession } from './session.js';

export function App() {
  return (
    <SessionProvider>
      <SessionGate />
    </SessionProvider>
  );
}

/** Login page until the server confirms a session; then the role's layout. */
function SessionGate() {
  const { state, loggedIn } = useSession();
  // Signed in, AppShell titles each page after its heading (layout/usePageArrival.ts).
  useEffect(() => {
    if (state.status === 'anonymous') document.title = 'Sign in — MedVault';
  }, [state.status]);
  if (state.status === 'loading') {
    return (
      <main className="loading-screen" aria-busy="true">
        <p role="status">Checking your session…</p>
      </main>
    );
  }
  if (state.status === 'anonymous') {
    return <LoginPage onLoggedIn={loggedIn} notice={state.notice} />;
  }
  // The data cache lives exactly as long as this session: logging out, losing the session or
  // signing in as someone else unmounts it, so no answer outlives the user it was given to.
  return (
    <QueryCacheProvider key={state.user.id}>
      <AppShell user={state.user} />
    </QueryCacheProvider>
  );
}
