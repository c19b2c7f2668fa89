import { formatDateTime } from '../format.js';
import { OneTimeSecret } from './OneTimeSecret.js';

/**
 * A staff invite code, shown this once (creating an account, approving a re-enrolment): who it
 * is for, until when, and where they use it. MedVault keeps only a keyed verifier of it.
 */
export function InviteCode(props: {
  readonly username: string;
  readonly invite: { readonly code: string; readonly expiresAt: number };
  readonly onDone: () => void;
}) {
  return (
    <OneTimeSecret
      title={`Invite code for ${props.username}`}
      secret={props.invite.code}
      secretLabel={`Invite code for ${props.username}`}
      doneLabel="Done"
      onDone={props.onDone}
    >
      <p>
        Give it to {props.username} in person or by a channel only they read; it works once, until{' '}
        {formatDateTime(props.invite.expiresAt)}. They open the sign-in page, choose <strong>Staff</strong>,
        then <strong>Have an invite code?</strong>, choose their password and save the private key their
        browser makes (or run <code>medvault enrol</code>).
      </p>
    </OneTimeSecret>
  );
}
