import { useState, type FormEvent } from 'react';
import { createUser, KEY_TYPES, STAFF_ROLES, type CreatedStaffUser, type KeyType } from '../../api/admin.js';
import { describeError } from '../../api/client.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { ROLE_LABELS } from '../../nav.js';
import {
  hasErrors,
  MIN_PASSWORD_LENGTH,
  newPasswordError,
  publicKeyPemError,
  requiredError,
  usernameError,
  type FieldErrors,
} from '../../validation.js';
import { PublicKeyInput } from './PublicKeyInput.js';
import { focusFirstInvalid } from '../../focus.js';

type Field = 'role' | 'username' | 'displayName' | 'password' | 'publicKey';
type KeySource = KeyType | 'public-key';

const KEY_SOURCES: readonly { readonly value: KeySource; readonly label: string }[] = [
  { value: 'ed25519', label: 'Generate an Ed25519 key pair (recommended)' },
  { value: 'rsa', label: 'Generate an RSA-2048 key pair' },
  { value: 'public-key', label: 'Register a public key the person made' },
];

/** Create a staff account with a generated key pair or the person's own public key. */
export function CreateUserForm(props: { readonly onCreated: (user: CreatedStaffUser) => Promise<void> }) {
  const [role, setRole] = useState('');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [keySource, setKeySource] = useState<KeySource>('ed25519');
  const [publicKeyPem, setPublicKeyPem] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const staffRole = STAFF_ROLES.find((value) => value === role);
    const found: FieldErrors<Field> = {
      role: staffRole === undefined ? 'Choose a role.' : undefined,
      username: usernameError(username),
      displayName: requiredError(displayName, 'Enter the name shown to others.'),
      password: newPasswordError(password),
      publicKey: keySource === 'public-key' ? publicKeyPemError(publicKeyPem) : undefined,
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found) || staffRole === undefined) {
      focusFirstInvalid(event.currentTarget);
      return;
    }

    setBusy(true);
    try {
      const generateKey = KEY_TYPES.find((value) => value === keySource);
      const created = await createUser({
        role: staffRole,
        username: username.trim(),
        displayName: displayName.trim(),
        password,
        ...(generateKey ? { generateKey } : { publicKeyPem: publicKeyPem.trim() }),
      });
      await props.onCreated(created);
    } catch (error) {
      setServerError(describeError(error));
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <div className="form-row">
        <TextField
          id="new-username"
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="off"
          hint="Lowercase letters, digits, . _ @ -"
          error={errors.username}
        />
        <TextField
          id="new-display-name"
          label="Display name"
          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          placeholder="Dr. Gregory House"
          error={errors.displayName}
        />
      </div>
      <div className="form-row">
        <SelectField
          id="new-role"
          label="Role"
          value={role}
          onChange={setRole}
          placeholder="Choose…"
          options={STAFF_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))}
          error={errors.role}
        />
        <TextField
          id="new-password"
          label="Initial password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={errors.password}
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
              onChange={() => setKeySource(source.value)}
            />
            {source.label}
          </label>
        ))}
        {keySource === 'public-key' ? (
          <PublicKeyInput
            id="new-public-key"
            value={publicKeyPem}
            onChange={setPublicKeyPem}
            error={errors.publicKey}
          />
        ) : (
          <p className="field-hint">
            The private key is offered once as a download after the account is created. It is not stored.
          </p>
        )}
      </fieldset>
      <FormAlert title="Could not create the account." message={serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}
