import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { fetchCurrentUser, logout, type SessionUser } from './api/auth.js';
import { ApiError, onSessionLost } from './api/client.js';
import { describeError } from './messages.js';

/**
 * Who is logged in, as far as the server says. The UI never decides this itself: it asks
 * GET /api/v1/auth/me on load and after each login, and treats 401 (and 404, while the route does
 * not exist yet) as "not logged in".
 */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly notice?: string | undefined }
  | { readonly status: 'authenticated'; readonly user: SessionUser };

export interface Session {
  readonly state: SessionState;
  /** After a login: use the user from the login answer, or ask the server when it had none. */
  readonly loggedIn: (user: SessionUser | undefined) => Promise<void>;
  /** POST /auth/logout; resolves to an error message when the server refused. */
  readonly logOut: () => Promise<string | undefined>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider(props: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  /** Asks the server who is logged in; `noticeIfNone` is shown when nobody is. */
  const check = useCallback(async (noticeIfNone?: string): Promise<void> => {
    try {
      const user = await fetchCurrentUser();
      setState(user ? { status: 'authenticated', user } : { status: 'anonymous', notice: noticeIfNone });
    } catch (error) {
      setState({ status: 'anonymous', notice: `Could not check your session: ${describeError(error)}` });
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

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
      else await check('The server accepted the sign-in but did not confirm a session. Try again.');
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
