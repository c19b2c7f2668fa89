import { useState, type FormEvent } from 'react';
import { addKey } from '../../api/admin.js';
import { describeError } from '../../api/client.js';
import { FormAlert } from '../../components/FormAlert.js';
import { publicKeyPemError } from '../../validation.js';
import { PublicKeyInput } from './PublicKeyInput.js';
import { focusFirstInvalid } from '../../focus.js';

/** Registers another public key for a staff account (e.g. a new laptop, or after a revoke). */
export function AddKeyForm(props: {
  readonly userId: string;
  readonly username: string;
  readonly onAdded: (keyId: string | undefined) => Promise<void>;
}) {
  const [pem, setPem] = useState('');
  const [error, setError] = useState<string>();
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const found = publicKeyPemError(pem);
    setError(found);
    setServerError(undefined);
    if (found) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    try {
      const keyId = await addKey(props.userId, pem.trim());
      setPem('');
      await props.onAdded(keyId);
    } catch (caught) {
      setServerError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <PublicKeyInput id={`add-key-${props.userId}`} value={pem} onChange={setPem} error={error} />
      <FormAlert title="Could not add the key." message={serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={busy}>
          {busy ? 'Adding…' : `Add key for ${props.username}`}
        </button>
      </div>
    </form>
  );
}
