import { useId, useState } from 'react';
import { MAX_KEY_FILE_BYTES, readFileAsText } from '../../files.js';

/**
 * A public key, pasted as SPKI PEM or loaded from a .pem file (read in the browser and put in
 * the text box, so the admin sees what will be registered).
 */
export function PublicKeyInput(props: {
  readonly id: string;
  readonly value: string;
  readonly onChange: (pem: string) => void;
  readonly error: string | undefined;
}) {
  const [fileError, setFileError] = useState<string>();
  const hintId = useId();
  const errorId = useId();
  const error = fileError ?? props.error;

  async function load(file: File | undefined): Promise<void> {
    setFileError(undefined);
    if (!file) return;
    if (file.size > MAX_KEY_FILE_BYTES) {
      setFileError('This file is too large to be a public key.');
      return;
    }
    try {
      props.onChange(await readFileAsText(file));
    } catch (caught) {
      setFileError(caught instanceof Error ? caught.message : 'The file could not be read.');
    }
  }

  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={props.id}>Public key (PEM)</label>
      <textarea
        id={props.id}
        name={props.id}
        rows={5}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      />
      <p id={hintId} className="field-hint">
        RSA-2048 or larger, or Ed25519, as SPKI PEM. Paste it or load the file:
      </p>
      <input
        type="file"
        accept=".pem,.pub,application/x-pem-file,text/plain"
        aria-label="Load the public key from a file"
        onChange={(event) => void load(event.target.files?.[0])}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
