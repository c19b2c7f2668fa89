import { INVITE_CODE_PATTERN } from '../../../src/contract/vocabulary/approvals.js';
import { enrolStaff, type StaffEnrolled } from '../api/staff-enrolment.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import { generateStaffKeyPair } from '../crypto/generate-key.js';
import { useForm } from '../forms/useForm.js';
import { MIN_PASSWORD_LENGTH, newPasswordError, usernameError } from '../validation.js';

/** What enrolling gave the holder: the server's answer and the private key made here. */
export interface AcceptedInvite extends StaffEnrolled {
  /** PKCS#8 PEM: only in this page's memory until it is saved. */
  readonly privateKeyPem: string;
}

const INVITE_CODE = new RegExp(INVITE_CODE_PATTERN);

function inviteCodeError(code: string): string | undefined {
  const trimmed = code.trim();
  if (trimmed === '') return 'Enter the invite code your administrator gave you.';
  return INVITE_CODE.test(trimmed) && trimmed.replace(/[\s-]/g, '').length === 25
    ? undefined
    : 'The invite code is 25 letters and digits, e.g. 7QKX2-M9D4R-0HZ3T-WB1NE-4G8JA.';
}

/**
 * "Have an invite code?": a staff member enrols in the browser, as `medvault enrol` does on the
 * command line. They type their username, the one-time code and the password they choose; this
 * browser makes the key pair (WebCrypto, ../crypto/generate-key.ts) and sends only the public
 * half with the password (POST /auth/staff/enrol). The private half is handed back to be saved.
 */
export function AcceptInviteForm(props: { readonly onEnrolled: (accepted: AcceptedInvite) => void }) {
  const form = useForm({
    unsavedWork: false,
    initial: { username: '', inviteCode: '', password: '', repeatPassword: '' },
    validate: (values) => {
      const username = values.username.trim().toLowerCase();
      return {
        username: usernameError(username),
        inviteCode: inviteCodeError(values.inviteCode),
        password: newPasswordError(values.password, 'Choose a password.', [username]),
        repeatPassword: values.repeatPassword === values.password ? undefined : 'The two passwords differ.',
      };
    },
    onSubmit: async (values) => {
      const pair = await generateStaffKeyPair();
      const enrolled = await enrolStaff({
        inviteCode: values.inviteCode.trim(),
        password: values.password,
        publicKeyPem: pair.publicKeyPem,
      });
      props.onEnrolled({ ...enrolled, privateKeyPem: pair.privateKeyPem });
    },
    leavesOnSuccess: true,
  });
  const busy = form.submitting;
  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <TextField
        id="invite-username"
        label="Username"
        {...form.field('username')}
        autoComplete="username"
        hint="The username your administrator created for you."
      />
      <TextField
        id="invite-code"
        label="Invite code"
        {...form.field('inviteCode')}
        autoComplete="off"
        hint="25 letters and digits in five groups, e.g. 7QKX2-M9D4R-0HZ3T-WB1NE-4G8JA. It works once."
      />
      <TextField
        id="invite-password"
        label="Choose a password"
        type="password"
        {...form.field('password')}
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters; not your username. Common passwords are refused.`}
      />
      <TextField
        id="invite-repeat-password"
        label="Repeat password"
        type="password"
        {...form.field('repeatPassword')}
        autoComplete="new-password"
      />
      <p className="field-hint">
        This browser then makes your key pair. Only the public key is sent; you save the private key as a file
        and pick it whenever you sign in.
      </p>
      <FormAlert title="Could not enrol." message={form.serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Enrolling…' : 'Enrol and make my key'}
      </button>
    </form>
  );
}
