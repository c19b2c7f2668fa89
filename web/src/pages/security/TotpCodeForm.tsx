import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';

const CODE_RE = /^[0-9]{6}$/;

export interface TotpCodeFormProps {
  /** The field's id (unique on the page). */
  readonly id: string;
  readonly submitLabel: string;
  /** The alert's title when the code is refused, e.g. "Could not sign in." */
  readonly errorTitle: string;
  /** Sends the code (trimmed, 6 digits); a throw shows in the form's alert. */
  readonly onCode: (code: string) => Promise<void>;
}

/**
 * The 6-digit code from an authenticator app: the sign-in's second step, confirming an app being
 * added at sign-in and on the account page. A code is not typed work: leaving never asks.
 */
export function TotpCodeForm(props: TotpCodeFormProps) {
  const form = useForm({
    unsavedWork: false,
    initial: { code: '' },
    validate: (v) => ({
      code: CODE_RE.test(v.code.trim()) ? undefined : 'Enter the 6-digit code from your authenticator app.',
    }),
    onSubmit: async (v) => props.onCode(v.code.trim()),
  });
  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={form.submitting}>
      <TextField
        id={props.id}
        label="Code from your authenticator app"
        {...form.field('code')}
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={6}
      />
      <FormAlert title={props.errorTitle} message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={form.submitting}>
        {form.submitting ? 'Checking…' : props.submitLabel}
      </button>
    </form>
  );
}
