import { useState } from 'react';
import type { TotpSetup } from '../../api/second-factors.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useAction } from '../../forms/useAction.js';
import { TotpCodeForm } from './TotpCodeForm.js';

/**
 * How a factor is added: with the signed-in session (the account page) or with a sign-in's
 * pending token when the hospital requires a factor and the user has none (the sign-in page).
 */
export interface FactorAdding {
  readonly beginTotp: () => Promise<TotpSetup>;
  /** Confirms the app with its first code (at sign-in, this completes the sign-in). */
  readonly confirmTotp: (setup: TotpSetup, code: string) => Promise<void>;
  /** Registers a passkey in this browser (at sign-in, this completes the sign-in). */
  readonly addPasskey: () => Promise<void>;
}

/**
 * Adding a second factor, the one component the sign-in and the account page share: an
 * authenticator app (the secret shown once as text to copy, then a first code confirms it) or a
 * passkey (WebAuthn in this browser).
 */
export function AddSecondFactor(props: {
  readonly adding: FactorAdding;
  /** The alert's title when adding fails, e.g. "Could not add the second factor." */
  readonly errorTitle: string;
  /** Offer a way back from a half-added app (the account page; a sign-in has nowhere to go). */
  readonly cancellable?: boolean;
  /** Where the buttons say "Add…" in the page's words (defaults suit the sign-in). */
  readonly labels?: { readonly totp: string; readonly passkey: string };
}) {
  const [setup, setSetup] = useState<TotpSetup>();
  const action = useAction<'totp' | 'passkey'>();
  const labels = props.labels ?? { totp: 'Set up an authenticator app', passkey: 'Add a passkey' };

  if (setup !== undefined)
    return (
      <div className="stack">
        <TotpSecret setup={setup} />
        <TotpCodeForm
          id="totp-confirm-code"
          submitLabel="Confirm"
          errorTitle={props.errorTitle}
          onCode={async (code) => {
            await props.adding.confirmTotp(setup, code);
            setSetup(undefined);
          }}
        />
        {props.cancellable === true && (
          <button type="button" className="button button-secondary" onClick={() => setSetup(undefined)}>
            Cancel
          </button>
        )}
      </div>
    );
  return (
    <div className="stack">
      <FormAlert title={props.errorTitle} message={action.error} />
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={action.running !== undefined}
          onClick={() => void action.run('totp', async () => setSetup(await props.adding.beginTotp()))}
        >
          {action.running === 'totp' ? 'Working…' : labels.totp}
        </button>
        <button
          type="button"
          className="button"
          disabled={action.running !== undefined}
          onClick={() => void action.run('passkey', props.adding.addPasskey)}
        >
          {action.running === 'passkey' ? 'Waiting for the passkey…' : labels.passkey}
        </button>
      </div>
    </div>
  );
}

/** The new TOTP secret, shown once: the base32 key to copy and the otpauth:// URI. */
export function TotpSecret(props: { readonly setup: TotpSetup }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.setup.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <div className="one-time-secret">
      <p>
        Add this key to your authenticator app (choose &ldquo;enter a setup key&rdquo;, time-based), then
        enter the code it shows. The key is shown only once.
      </p>
      <p className="secret-value">
        <code data-testid="totp-secret">{props.setup.secret}</code>
      </p>
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy key
        </button>
        <a className="button button-secondary" href={props.setup.uri} data-testid="totp-uri">
          Open in an authenticator app
        </a>
        <span className="button-row-note" aria-live="polite">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'failed' && 'Could not copy: select the key and copy it by hand.'}
        </span>
      </div>
      <details>
        <summary>Setup address (otpauth URI)</summary>
        <p>
          <code className="break-anywhere">{props.setup.uri}</code>
        </p>
      </details>
    </div>
  );
}
