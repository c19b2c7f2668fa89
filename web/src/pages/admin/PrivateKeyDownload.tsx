import { useEffect, useRef, useState } from 'react';

/**
 * The private key the server generated, offered once as a file download (`<username>.pem`).
 * The PEM lives only in this component's memory and an object URL, both dropped when the admin
 * presses "Done"; MedVault does not keep a copy.
 */
export function PrivateKeyDownload(props: {
  readonly username: string;
  readonly privateKeyPem: string;
  readonly onDone: () => void;
}) {
  const [url, setUrl] = useState<string>();
  const [downloaded, setDownloaded] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const fileName = `${props.username}.pem`;

  useEffect(() => {
    const blob = new Blob([props.privateKeyPem], { type: 'application/x-pem-file' });
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [props.privateKeyPem]);

  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="secret-panel" aria-labelledby="private-key-title">
      <h3 id="private-key-title" ref={heading} tabIndex={-1}>
        Download the private key for {props.username}
      </h3>
      <div className="alert alert-warning">
        <strong>This is the only copy.</strong> MedVault does not store the private key and cannot show it
        again. Download it now and hand it to {props.username} securely; they pick this file to sign in.
      </div>
      <div className="button-row">
        {url && (
          <a
            className="button button-primary"
            href={url}
            download={fileName}
            onClick={() => setDownloaded(true)}
          >
            Download {fileName}
          </a>
        )}
        <button type="button" className="button button-secondary" onClick={props.onDone}>
          {downloaded ? 'Done' : 'Done (discard the key)'}
        </button>
      </div>
    </section>
  );
}
