import {
  getCheckpoint,
  getLedgerPublicKey,
  type AuditCheckpoint,
  type LedgerPublicKey,
} from '../../api/audit.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../data/useQuery.js';

interface CheckpointAndKey {
  readonly checkpoint: AuditCheckpoint;
  readonly publicKey: LedgerPublicKey;
}

async function loadCheckpointAndKey(): Promise<CheckpointAndKey> {
  const [checkpoint, publicKey] = await Promise.all([getCheckpoint(), getLedgerPublicKey()]);
  return { checkpoint, publicKey };
}

/**
 * The newest signed checkpoint (tree size, root, time, the signed note itself) and the key that
 * verifies it, so an outside witness can be configured from this page.
 */
export function CheckpointCard() {
  const loaded = useResource(loadCheckpointAndKey);
  return (
    <section className="card" aria-labelledby="checkpoint-title">
      <h2 id="checkpoint-title">Latest signed checkpoint</h2>
      <LoadState resource={loaded.resource} what="the checkpoint" onRetry={() => void loaded.reload()} />
      {loaded.resource.status === 'ready' && <CheckpointDetails {...loaded.resource.data} />}
    </section>
  );
}

function CheckpointDetails({ checkpoint, publicKey: key }: CheckpointAndKey) {
  return (
    <>
      <dl className="fact-list">
        <div>
          <dt>Tree size</dt>
          <dd>{checkpoint.treeSize.toLocaleString()} entries</dd>
        </div>
        <div>
          <dt>Root hash (SHA-256)</dt>
          <dd>
            <code className="hash">{checkpoint.root}</code>
          </dd>
        </div>
        <div>
          <dt>Signed</dt>
          <dd>{formatDateTime(checkpoint.createdAt)}</dd>
        </div>
      </dl>
      <div>
        <h3 className="subheading" id="checkpoint-note-title">
          Signed note
        </h3>
        <pre className="code-block" aria-labelledby="checkpoint-note-title" tabIndex={0}>
          {checkpoint.note}
        </pre>
      </div>
      <div>
        <h3 className="subheading" id="verifier-key-title">
          Public verifier key
        </h3>
        <p className="muted">
          Anyone can check checkpoints of {key.origin ? <code>{key.origin}</code> : 'this ledger'} with this
          key (for example <code>medvault audit watch</code>).
        </p>
        <pre className="code-block" aria-labelledby="verifier-key-title" tabIndex={0}>
          {key.verifierKey}
        </pre>
        {key.pem && (
          <details className="disclosure">
            <summary>Public key as PEM</summary>
            <pre className="code-block" tabIndex={0}>
              {key.pem}
            </pre>
          </details>
        )}
      </div>
    </>
  );
}
