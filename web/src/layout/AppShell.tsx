import { useCallback, type MouseEvent } from 'react';
import { userLabel, type SessionUser } from '../api/auth.js';
import { confirmLeave } from '../forms/unsaved.js';
import { useAction } from '../forms/useAction.js';
import { NAV, navItemOf, ROLE_LABELS } from '../nav.js';
import { RoutedPage } from '../pages/registry.js';
import { href, sectionOf, useRoute } from '../routes.js';
import { useSession } from '../session.js';
import { NoticeBanner } from './NoticeBanner.js';
import { usePageArrival } from './usePageArrival.js';

/** Focuses the page without touching the hash, which holds the route. */
function skipToMain(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** The signed-in layout: header (user, role, Logout), role-aware navigation, page. */
export function AppShell(props: { readonly user: SessionUser }) {
  const { logOut, state } = useSession();
  const notice = state.status === 'authenticated' ? state.notice : undefined;
  const { user } = props;
  const route = useRoute(user.role);
  const current = navItemOf(user.role, sectionOf(route.name));
  const logout = useAction();
  const busy = logout.running !== undefined;
  const main = useCallback(() => document.getElementById('main'), []);
  usePageArrival(main, route.identity);

  function onLogout(): void {
    if (!confirmLeave()) return;
    void logout.run('run', async () => {
      const error = await logOut();
      if (error) throw new Error(`Could not log out: ${error}`);
    });
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand" aria-label="MedVault">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">MedVault</span>
        </div>
        <div className="app-user">
          {/* A patient's login answer carries no name (it is stored encrypted); show none then. */}
          {userLabel(user) !== user.id && <span className="app-user-name">{userLabel(user)}</span>}
          <span className="role-badge">{ROLE_LABELS[user.role]}</span>
          <button type="button" className="button button-secondary" onClick={onLogout} disabled={busy}>
            {busy ? 'Logging out…' : 'Logout'}
          </button>
        </div>
      </header>
      <div className="app-alert-region" role="alert" aria-live="assertive">
        {logout.error && <div className="alert alert-error">{logout.error}</div>}
        {notice && <div className="alert alert-warning">{notice}</div>}
      </div>
      <NoticeBanner key={user.id} />
      <div className="app-body">
        <nav className="app-nav" aria-label="Main">
          <ul>
            {NAV[user.role].map((item) => (
              <li key={item.path}>
                <a
                  href={href(item.path)}
                  aria-current={item.path === current.path ? 'page' : undefined}
                  className={item.path === current.path ? 'nav-link nav-link-active' : 'nav-link'}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="app-main" tabIndex={-1}>
          <RoutedPage user={user} item={current} route={route} />
        </main>
      </div>
    </div>
  );
}
