import { useEffect, useState, type ReactNode } from 'react';
import { SecretPanel } from './SecretPanel.js';

/**
 * A private key offered once as a file download (`fileName`, PKCS#8 PEM), beside what to do with
 * it. The PEM lives only in the caller's memory and an object URL, both dropped when the person
 * presses the button that moves on; MedVault has no copy. Focus lands on the heading when it
 * appears, as for a one-time secret (./OneTimeSecret.tsx).
 */
export function PrivateKeyDownload(props: {
  readonly title: string;
  readonly fileName: string;
  readonly privateKeyPem: string;
  /** What the key is for and where to keep it; shown above the warning. */
  readonly children: ReactNode;
  /** The button once the file was downloaded, e.g. "Continue to sign in". */
  readonly doneLabel: string;
  /** The same button before that: says the key is lost when pressed. */
  readonly discardLabel: string;
  readonly onDone: () => void;
}) {
  const [url, setUrl] = useState<string>();
  const [downloaded, setDownloaded] = useState(false);

  useEffect(() => {
    const blob = new Blob([props.privateKeyPem], { type: 'application/x-pem-file' });
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [props.privateKeyPem]);

  return (
    <SecretPanel title={props.title} instructions={props.children}>
      <div className="alert alert-warning">
        <strong>This is the only copy.</strong> MedVault does not store the private key and cannot show it
        again. Without it you cannot sign in: an administrator would have to re-enrol you.
      </div>
      <div className="button-row">
        {url && (
          <a
            className="button button-primary"
            href={url}
            download={props.fileName}
            onClick={() => setDownloaded(true)}
          >
            Download {props.fileName}
          </a>
        )}
        <button
          type="button"
          className={downloaded ? 'button button-primary' : 'button button-secondary'}
          onClick={props.onDone}
        >
          {downloaded ? props.doneLabel : props.discardLabel}
        </button>
      </div>
    </SecretPanel>
  );
}
