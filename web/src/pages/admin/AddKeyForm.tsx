import { addKey } from '../../api/admin.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useForm } from '../../forms/useForm.js';
import { publicKeyPemError } from '../../validation.js';
import { PublicKeyInput } from './PublicKeyInput.js';

/** Registers another public key for a staff account (e.g. a new laptop, or after a revoke). */
export function AddKeyForm(props: {
  readonly userId: string;
  readonly username: string;
  readonly onAdded: (keyId: string | undefined) => Promise<void>;
}) {
  const form = useForm({
    initial: { pem: '' },
    validate: ({ pem }) => ({ pem: publicKeyPemError(pem) }),
    onSubmit: async ({ pem }, { reset }) => {
      const keyId = await addKey(props.userId, pem.trim());
      reset();
      await props.onAdded(keyId);
    },
  });
  const busy = form.submitting;

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <PublicKeyInput id={`add-key-${props.userId}`} {...form.field('pem')} />
      <FormAlert title="Could not add the key." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={busy}>
          {busy ? 'Adding…' : `Add key for ${props.username}`}
        </button>
      </div>
    </form>
  );
}
