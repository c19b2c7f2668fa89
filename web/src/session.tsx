import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { fetchCurrentUser, logout, type SessionUser } from './api/auth.js';
import { ApiError, onSessionLost } from './api/client.js';
import { announceUser, IdentityChanged, onOtherTabSignIn, setIdentityCheck } from './identity-guard.js';
import { describeError } from './messages.js';

/**
 * Who is logged in, as far as the server says. The UI never decides this itself: it asks
 * GET /api/v1/auth/me on load and after each login, and treats 401 (and 404, while the route does
 * not exist yet) as "not logged in".
 */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly notice?: string | undefined }
  | { readonly status: 'authenticated'; readonly user: SessionUser; readonly notice?: string | undefined };

export interface Session {
  readonly state: SessionState;
  /** After a login: use the user from the login answer, or ask the server when it had none. */
  readonly loggedIn: (user: SessionUser | undefined) => Promise<void>;
  /** POST /auth/logout; resolves to an error message when the server refused. */
  readonly logOut: () => Promise<string | undefined>;
}

/** Said when this tab follows a sign-in or sign-out made elsewhere. */
const SWITCHED_NOTICE =
  'Someone signed in or out in another tab of this browser, so this tab now shows who is signed in. Nothing was sent as the previous person.';

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider(props: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  /** Asks the server who is logged in; `noticeIfNone` is shown when nobody is. Resolves to them. */
  const check = useCallback(async (noticeIfNone?: string): Promise<SessionUser | undefined> => {
    try {
      const user = await fetchCurrentUser();
      setState(user ? { status: 'authenticated', user } : { status: 'anonymous', notice: noticeIfNone });
      return user;
    } catch (error) {
      setState({ status: 'anonymous', notice: `Could not check your session: ${describeError(error)}` });
      return undefined;
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

  // Who this tab shows, for the checks below (they run outside React's render).
  const shown = useRef<string | undefined>(undefined);
  const shownId = state.status === 'authenticated' ? state.user.id : undefined;
  useEffect(() => {
    shown.current = shownId;
  }, [shownId]);

  /** Redraws this tab as whoever the server says is signed in now, saying why. */
  const follow = useCallback(async (notice: string): Promise<void> => {
    try {
      const user = await fetchCurrentUser();
      if (user?.id === shown.current) return;
      setState(user ? { status: 'authenticated', user, notice } : { status: 'anonymous', notice });
    } catch (error) {
      setState({ status: 'anonymous', notice: `Could not check your session: ${describeError(error)}` });
    }
  }, []);

  // Another tab signed in or out: if it is not who this tab shows, follow the server (issue 20).
  useEffect(
    () =>
      onOtherTabSignIn((userId) => {
        if (userId !== (shown.current ?? null)) void follow(SWITCHED_NOTICE);
      }),
    [follow],
  );

  // A tab coming back into view checks too (it may have missed the announcement while asleep).
  useEffect(() => {
    const onVisible = (): void => {
      if (document.visibilityState === 'visible' && shown.current !== undefined) void follow(SWITCHED_NOTICE);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [follow]);

  // Before this tab acts, the server must still see the person it shows.
  useEffect(() => {
    if (shownId === undefined) {
      setIdentityCheck(undefined);
      return;
    }
    setIdentityCheck(async () => {
      const user = await fetchCurrentUser();
      if (user?.id === shownId) return;
      setState(
        user
          ? { status: 'authenticated', user, notice: SWITCHED_NOTICE }
          : { status: 'anonymous', notice: 'Your session has ended. Please sign in again.' },
      );
      throw new IdentityChanged();
    });
    return () => setIdentityCheck(undefined);
  }, [shownId]);

  // A page's request answered 401: the session ended on the server, so show the login page
  // instead of leaving the user on a page whose every action now fails.
  useEffect(
    () =>
      onSessionLost(() =>
        setState((current) =>
          current.status === 'authenticated'
            ? { status: 'anonymous', notice: 'Your session has ended. Please sign in again.' }
            : current,
        ),
      ),
    [],
  );

  const loggedIn = useCallback(
    async (user: SessionUser | undefined): Promise<void> => {
      if (user) setState({ status: 'authenticated', user });
      const confirmed =
        user ?? (await check('The server accepted the sign-in but did not confirm a session. Try again.'));
      // The other tabs of this browser now act as this person: tell them (the id only).
      if (confirmed) announceUser(confirmed.id);
    },
    [check],
  );

  const logOut = useCallback(async (): Promise<string | undefined> => {
    try {
      await logout();
    } catch (error) {
      // 401: the session had already ended, which is what the user wanted. Anything else means
      // the server may still honour the cookie, so do not pretend the user is logged out.
      if (!(error instanceof ApiError && error.status === 401)) return describeError(error);
    }
    setState({ status: 'anonymous' });
    announceUser(null);
    return undefined;
  }, []);

  return (
    <SessionContext.Provider value={{ state, loggedIn, logOut }}>{props.children}</SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionProvider>');
  return session;
}
