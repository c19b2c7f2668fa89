import { MAX_DISPLAY_NAME_LENGTH } from '../../../../src/contract/vocabulary/credentials.js';
import { createUser, KEY_TYPES, STAFF_ROLES, type CreatedStaffUser, type KeyType } from '../../api/admin.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { ROLE_LABELS } from '../../nav.js';
import { useForm } from '../../forms/useForm.js';
import {
  MIN_PASSWORD_LENGTH,
  newPasswordError,
  publicKeyPemError,
  textError,
  usernameError,
} from '../../validation.js';
import { PublicKeyInput } from './PublicKeyInput.js';

type KeySource = KeyType | 'public-key';

interface Values {
  readonly role: string;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly keySource: KeySource;
  readonly publicKeyPem: string;
}

const KEY_SOURCES: readonly { readonly value: KeySource; readonly label: string }[] = [
  { value: 'ed25519', label: 'Generate an Ed25519 key pair (recommended)' },
  { value: 'rsa', label: 'Generate an RSA-2048 key pair' },
  { value: 'public-key', label: 'Register a public key the person made' },
];

/** Create a staff account with a generated key pair or the person's own public key. */
export function CreateUserForm(props: { readonly onCreated: (user: CreatedStaffUser) => Promise<void> }) {
  const form = useForm<Values>({
    initial: {
      role: '',
      username: '',
      displayName: '',
      password: '',
      keySource: 'ed25519',
      publicKeyPem: '',
    },
    validate: (values) => ({
      role: STAFF_ROLES.some((value) => value === values.role) ? undefined : 'Choose a role.',
      username: usernameError(values.username),
      displayName: textError(values.displayName, MAX_DISPLAY_NAME_LENGTH, 'Enter the name shown to others.'),
      password: newPasswordError(values.password),
      publicKeyPem: values.keySource === 'public-key' ? publicKeyPemError(values.publicKeyPem) : undefined,
    }),
    onSubmit: async (values) => {
      const role = STAFF_ROLES.find((value) => value === values.role);
      if (role === undefined) throw new Error('Choose a role.'); // validate() rules this out
      const generateKey = KEY_TYPES.find((value) => value === values.keySource);
      const created = await createUser({
        role,
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        password: values.password,
        ...(generateKey ? { generateKey } : { publicKeyPem: values.publicKeyPem.trim() }),
      });
      await props.onCreated(created);
    },
    // The form gives way to the private key download, or starts afresh.
    leavesOnSuccess: true,
  });
  const busy = form.submitting;
  const { keySource } = form.values;

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <div className="form-row">
        <TextField
          id="new-username"
          label="Username"
          {...form.field('username')}
          autoComplete="off"
          hint="Lowercase letters, digits, . _ @ -"
        />
        <TextField
          id="new-display-name"
          label="Display name"
          {...form.field('displayName')}
          maxLength={MAX_DISPLAY_NAME_LENGTH}
          counter
          autoComplete="off"
          placeholder="Dr. Gregory House"
        />
      </div>
      <div className="form-row">
        <SelectField
          id="new-role"
          label="Role"
          {...form.field('role')}
          placeholder="Choose…"
          options={STAFF_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))}
        />
        <TextField
          id="new-password"
          label="Initial password"
          type="password"
          {...form.field('password')}
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
      </div>
      <fieldset className="fieldset">
        <legend>Sign-in key</legend>
        {KEY_SOURCES.map((source) => (
          <label key={source.value} className="choice">
            <input
              type="radio"
              name="key-source"
              value={source.value}
              checked={keySource === source.value}
              onChange={() => form.setValue('keySource', source.value)}
            />
            {source.label}
          </label>
        ))}
        {keySource === 'public-key' ? (
          <PublicKeyInput id="new-public-key" {...form.field('publicKeyPem')} />
        ) : (
          <p className="field-hint">
            The private key is offered once as a download after the account is created. It is not stored.
          </p>
        )}
      </fieldset>
      <FormAlert title="Could not create the account." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}
