import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import type { FieldErrors } from '../../validation.js';
import { MIN_PASSWORD_LENGTH, newPasswordError, pinError, requiredError } from '../../validation.js';

/** What a secret field holds: it decides the check, the autocomplete hint and the keyboard. */
export type SecretKind = 'pin' | 'password' | 'new-pin' | 'new-password';

export interface SecretField<K extends string> {
  readonly name: K;
  readonly label: string;
  readonly kind: SecretKind;
  /** The message when it is left empty, e.g. "Enter your current PIN." */
  readonly empty: string;
}

const isPin = (kind: SecretKind): boolean => kind === 'pin' || kind === 'new-pin';

function check(kind: SecretKind, value: string, empty: string): string | undefined {
  if (isPin(kind)) return pinError(value, empty);
  return kind === 'new-password' ? newPasswordError(value, empty) : requiredError(value, empty);
}

const AUTOCOMPLETE: Readonly<Record<SecretKind, string>> = {
  pin: 'off',
  'new-pin': 'off',
  password: 'current-password',
  'new-password': 'new-password',
};

/**
 * The account page's one form pattern: a few secrets (PINs and passwords, masked), checked
 * before sending, the server's refusal in the alert. Change password, change PIN and a new
 * recovery code are each a list of fields and a submit handler.
 */
export function CredentialForm<K extends string>(props: {
  readonly idPrefix: string;
  readonly fields: readonly SecretField<K>[];
  readonly submitLabel: string;
  readonly errorTitle: string;
  readonly onSubmit: (values: Readonly<Record<K, string>>) => Promise<void>;
  /** The form gives way to what it made (a one-time secret); otherwise it empties itself. */
  readonly leavesOnSuccess?: boolean;
}) {
  const empty = () => Object.fromEntries(props.fields.map((f) => [f.name, ''])) as Record<K, string>;
  const form = useForm<Record<K, string>, K>({
    initial: empty,
    validate: (v) =>
      Object.fromEntries(
        props.fields.map((f) => [f.name, check(f.kind, v[f.name], f.empty)]),
      ) as FieldErrors<K>,
    onSubmit: async (v, helpers) => {
      await props.onSubmit(v);
      if (props.leavesOnSuccess !== true) helpers.reset();
    },
    leavesOnSuccess: props.leavesOnSuccess === true,
  });
  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={form.submitting}>
      {props.fields.map((f) => (
        <TextField
          key={f.name}
          id={`${props.idPrefix}-${f.name}`}
          label={f.label}
          type="password"
          value={form.values[f.name]}
          onChange={(value) => form.setValue(f.name, value)}
          error={form.errors[f.name]}
          autoComplete={AUTOCOMPLETE[f.kind]}
          inputMode={isPin(f.kind) ? 'numeric' : undefined}
          maxLength={isPin(f.kind) ? 6 : undefined}
          hint={
            f.kind === 'new-password'
              ? `At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`
              : undefined
          }
        />
      ))}
      <FormAlert title={props.errorTitle} message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={form.submitting}>
        {props.submitLabel}
      </button>
    </form>
  );
}
