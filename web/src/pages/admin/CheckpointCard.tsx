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
        <KeyHistory firstKey={key.firstKey} handovers={key.handovers ?? []} />
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

/**
 * After a signing-key handover, a verifier that was given the first key needs the handover
 * statements to trust the current one: say how many there are, which key they start from, and
 * where to get them.
 */
function KeyHistory({ firstKey, handovers }: { firstKey: string | undefined; handovers: readonly string[] }) {
  if (firstKey === undefined || handovers.length === 0) return null;
  const count = handovers.length === 1 ? 'one signed handover' : `${handovers.length} signed handovers`;
  return (
    <>
      <p className="muted" id="first-key-title">
        This key took over from the log&apos;s first key through {count}. Verifiers that trust the first key
        follow the handovers: <code>medvault keys handovers</code> prints them for witnesses and{' '}
        <code>medvault audit verify-proof --handovers</code>.
      </p>
      <pre className="code-block" aria-labelledby="first-key-title" tabIndex={0}>
        {firstKey}
      </pre>
    </>
  );
}
