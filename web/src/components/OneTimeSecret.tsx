import { useState, type ReactNode } from 'react';
import { SecretPanel } from './SecretPanel.js';

export interface OneTimeSecretProps {
  /** Heading, e.g. "Recovery code". */
  readonly title: string;
  /** The secret, shown large and selectable. */
  readonly secret: string;
  /** Accessible label of the secret's box, e.g. "Recovery code for Ada Lovelace". */
  readonly secretLabel: string;
  /** What to do with it; shown above the secret. */
  readonly children: ReactNode;
  /** Label of the dismiss button; the secret is gone once it is pressed. */
  readonly doneLabel: string;
  readonly onDone: () => void;
}

/**
 * A secret the server shows exactly once (recovery code, reset token). Focus moves to it when it
 * appears (so keyboard and screen-reader users land on it), it can be copied, and it disappears
 * from the page when dismissed: MedVault cannot show it again.
 */
export function OneTimeSecret(props: OneTimeSecretProps) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <SecretPanel title={props.title} instructions={props.children}>
      <p className="secret-value" aria-label={props.secretLabel}>
        <code>{props.secret}</code>
      </p>
      <p className="secret-warning">
        Shown only this once. MedVault does not store it in a form it can display again.
      </p>
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="button button-primary" onClick={props.onDone}>
          {props.doneLabel}
        </button>
        <span className="button-row-note" aria-live="polite">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'failed' && 'Could not copy: select the text and copy it by hand.'}
        </span>
      </div>
    </SecretPanel>
  );
}
