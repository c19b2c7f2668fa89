import { MAX_DISPLAY_NAME_LENGTH } from '../../../../src/contract/vocabulary/credentials.js';
import { createUser, STAFF_ROLES, type CreatedStaffUser } from '../../api/admin.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { ROLE_LABELS } from '../../nav.js';
import { useForm } from '../../forms/useForm.js';
import { textError, usernameError } from '../../validation.js';

interface Values {
  readonly role: string;
  readonly username: string;
  readonly displayName: string;
}

/**
 * Create a staff account: no password, no key. The answer is a one-time invite code for the
 * person, and the account waits for a second admin's approval (two-person rule).
 */
export function CreateUserForm(props: { readonly onCreated: (user: CreatedStaffUser) => Promise<void> }) {
  const form = useForm<Values>({
    initial: {
      role: '',
      username: '',
      displayName: '',
    },
    validate: (values) => ({
      role: STAFF_ROLES.some((value) => value === values.role) ? undefined : 'Choose a role.',
      username: usernameError(values.username),
      displayName: textError(values.displayName, MAX_DISPLAY_NAME_LENGTH, 'Enter the name shown to others.'),
    }),
    onSubmit: async (values) => {
      const role = STAFF_ROLES.find((value) => value === values.role);
      if (role === undefined) throw new Error('Choose a role.'); // validate() rules this out
      const created = await createUser({
        role,
        username: values.username.trim(),
        displayName: values.displayName.trim(),
      });
      await props.onCreated(created);
    },
    // The form gives way to the invite code.
    leavesOnSuccess: true,
  });
  const busy = form.submitting;

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
      </div>
      <p className="field-hint">
        No password and no key: the person chooses their password and makes their key when they enrol with the
        invite code. A second administrator must approve the account.
      </p>
      <FormAlert title="Could not create the account." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}
