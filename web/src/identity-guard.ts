/**
 * Two tabs share one session cookie: after signing in as someone else in tab 2, tab 1 still
 * shows the first person but its requests now act as the second (issue 20, point 6). Two
 * defences, both here:
 *  - every sign-in and sign-out is announced to the other tabs of this browser over a
 *    BroadcastChannel, carrying only the user id (never a name or anything clinical); a tab
 *    that hears another id asks the server who is signed in and redraws as that person;
 *  - before any form or button sends anything, the session asks GET /auth/me and refuses to act
 *    when the answer is not the person this tab shows (a tab that was asleep, a browser without
 *    BroadcastChannel, a login made outside this browser's tabs).
 * session.tsx registers the check; useForm and useAction run it.
 */

const CHANNEL_NAME = 'medvault-session';

/** What a tab tells the others: who is signed in now (null: nobody). Nothing else. */
interface SessionAnnouncement {
  readonly userId: string | null;
}

const channel: BroadcastChannel | undefined =
  typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : undefined;

/** Tells this browser's other tabs who is signed in now. */
export function announceUser(userId: string | null): void {
  const message: SessionAnnouncement = { userId };
  channel?.postMessage(message);
}

/** Calls `listener` with the user id another tab announced; returns the unsubscribe. */
export function onOtherTabSignIn(listener: (userId: string | null) => void): () => void {
  const handle = (event: MessageEvent<unknown>): void => {
    const data = event.data as Partial<SessionAnnouncement> | null;
    if (data && (typeof data.userId === 'string' || data.userId === null)) listener(data.userId);
  };
  channel?.addEventListener('message', handle);
  return () => channel?.removeEventListener('message', handle);
}

/** Thrown instead of acting when the server's session is no longer the person this tab shows. */
export class IdentityChanged extends Error {
  override readonly name = 'IdentityChanged';
  constructor() {
    super(
      'You are now signed in as someone else (in another tab or window), so nothing was sent. ' +
        'This tab now shows who is signed in; check the page before you try again.',
    );
  }
}

let check: (() => Promise<void>) | undefined;

/** Registers the session's check (undefined when nobody is signed in in this tab). */
export function setIdentityCheck(next: (() => Promise<void>) | undefined): void {
  check = next;
}

/** Resolves when the server's session is the person this tab shows; throws IdentityChanged otherwise. */
export async function confirmIdentity(): Promise<void> {
  await check?.();
}
