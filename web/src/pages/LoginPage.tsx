import { useRef, useState, type KeyboardEvent } from 'react';
import type { SessionUser } from '../api/auth.js';
import { PatientSignIn } from './PatientSignIn.js';
import { StaffSignIn } from './StaffSignIn.js';

type Tab = 'patient' | 'staff';
const TABS: readonly { readonly id: Tab; readonly label: string }[] = [
  { id: 'patient', label: 'Patient' },
  { id: 'staff', label: 'Staff' },
];

export interface LoginPageProps {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
  /** Shown above the form, e.g. when the session check itself failed. */
  readonly notice?: string | undefined;
}

/**
 * The sign-in page: two tabs (WAI-ARIA tabs pattern, arrow keys move between them). Both panels
 * stay mounted, so switching tabs keeps what was typed.
 */
export function LoginPage(props: LoginPageProps) {
  const [tab, setTab] = useState<Tab>('patient');
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  function onTabKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (
      event.key !== 'ArrowLeft' &&
      event.key !== 'ArrowRight' &&
      event.key !== 'Home' &&
      event.key !== 'End'
    ) {
      return;
    }
    event.preventDefault();
    const index = TABS.findIndex((t) => t.id === tab);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? TABS.length - 1
          : (index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    const target = TABS[next];
    if (!target) return;
    setTab(target.id);
    tabRefs.current[target.id]?.focus();
  }

  return (
    <main className="login-screen">
      <div className="login-card">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          <span className="brand-name">MedVault</span>
        </div>
        <h1>Sign in to MedVault</h1>
        <p className="login-lead">Secure access to medical records.</p>
        {props.notice && (
          <div className="alert alert-warning" role="status">
            {props.notice}
          </div>
        )}
        <div className="tabs" role="tablist" aria-label="Sign in as" onKeyDown={onTabKeyDown}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(element) => {
                tabRefs.current[t.id] = element;
              }}
              type="button"
              role="tab"
              id={`login-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`login-panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? 'tab tab-active' : 'tab'}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <section
          id="login-panel-patient"
          role="tabpanel"
          aria-labelledby="login-tab-patient"
          hidden={tab !== 'patient'}
          className="tab-panel"
        >
          <h2 className="visually-hidden">Patient sign-in</h2>
          <PatientSignIn onLoggedIn={props.onLoggedIn} />
        </section>
        <section
          id="login-panel-staff"
          role="tabpanel"
          aria-labelledby="login-tab-staff"
          hidden={tab !== 'staff'}
          className="tab-panel"
        >
          <h2 className="visually-hidden">Staff sign-in</h2>
          <StaffSignIn onLoggedIn={props.onLoggedIn} />
        </section>
      </div>
      <p className="login-footer">Every sign-in, successful or not, is recorded in the audit ledger.</p>
    </main>
  );
}
