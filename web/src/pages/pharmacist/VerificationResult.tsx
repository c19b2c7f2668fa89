import type { Prescription } from '../../api/prescriptions.js';
import { formatDateTime } from '../../format.js';

const ALGORITHM_LABELS: Readonly<Record<string, string>> = {
  'rsa-pkcs1-sha256': 'RSA PKCS#1 v1.5 with SHA-256',
  ed25519: 'Ed25519',
};

/** Who signed, with which key and algorithm, and whether the signature verifies (or why not). */
export function VerificationResult(props: { readonly prescription: Prescription }) {
  const { verification: v, prescriber } = props.prescription;
  return (
    <div
      className={v.valid ? 'verify-result alert alert-success' : 'verify-result alert alert-error'}
      role="status"
    >
      <p className="verify-outcome">
        <strong>{v.valid ? 'Signature verified' : 'Does not verify'}</strong>
        {!v.valid && <span> — {v.message}</span>}
      </p>
      <dl className="fact-list">
        <dt>Signed by</dt>
        <dd>
          {prescriber.name ?? 'Unknown doctor'} <span className="mono">({prescriber.id})</span>
        </dd>
        <dt>Key id</dt>
        <dd className="mono">{v.keyId}</dd>
        <dt>Algorithm</dt>
        <dd>{ALGORITHM_LABELS[v.algorithm] ?? v.algorithm}</dd>
        {v.keyRevokedAt !== null && (
          <>
            <dt>Key revoked</dt>
            <dd>{formatDateTime(v.keyRevokedAt)}</dd>
          </>
        )}
        {v.failure && (
          <>
            <dt>Reason code</dt>
            <dd className="mono">{v.failure}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
