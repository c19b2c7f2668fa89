import { useState } from 'react';
import { verifyLedger, type VerifyOutcome } from '../../api/audit.js';
import { describeError } from '../../messages.js';

/** How the page names the verifier's failure kinds. */
const KIND_LABELS: Readonly<Record<string, string>> = {
  content_changed: 'content changed',
  deleted: 'entry deleted',
  inserted: 'entry inserted',
  reordered: 'entries reordered',
  truncated: 'log truncated',
  checkpoint_mismatch: 'checkpoint mismatch',
  node_mismatch: 'tree node mismatch',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

type Result =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly outcome: VerifyOutcome; readonly at: number }
  | { readonly status: 'error'; readonly message: string };

/** "Verify now": the server recomputes the chain and the tree over the whole ledger. */
export function VerifyPanel() {
  const [result, setResult] = useState<Result>({ status: 'idle' });

  async function run(): Promise<void> {
    setResult({ status: 'running' });
    try {
      setResult({ status: 'done', outcome: await verifyLedger(), at: Date.now() });
    } catch (error) {
      setResult({ status: 'error', message: describeError(error) });
    }
  }

  const running = result.status === 'running';
  return (
    <section className="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the ledger</h2>
      <p className="muted">
        Recomputes every entry&rsquo;s hash, the hash chain and the Merkle tree, and checks them against every
        signed checkpoint, including those kept outside the database (the checkpoint file and the witnesses),
        so entries deleted from the end are caught too. Any change made to the database behind
        MedVault&rsquo;s back is named here.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void run()}
          disabled={running}
          aria-describedby="verify-result"
        >
          {running ? 'Verifying…' : 'Verify now'}
        </button>
      </div>
      <div id="verify-result" className="verify-result" role="status" aria-live="polite" aria-atomic="true">
        {result.status === 'running' && <p className="muted">Verifying the whole ledger…</p>}
        {result.status === 'error' && (
          <p className="alert alert-error">Could not verify the ledger: {result.message}</p>
        )}
        {result.status === 'done' && <OutcomeMessage outcome={result.outcome} />}
      </div>
    </section>
  );
}

function OutcomeMessage({ outcome }: { readonly outcome: VerifyOutcome }) {
  if (outcome.ok) {
    return (
      <div className="alert alert-success verify-outcome">
        <p>
          <strong>Ledger verified:</strong> {outcome.size.toLocaleString()}{' '}
          {outcome.size === 1 ? 'entry' : 'entries'}, root <code className="hash">{outcome.root}</code>
          {outcome.checkpoint
            ? `, consistent with checkpoint of size ${outcome.checkpoint.treeSize.toLocaleString()}.`
            : '. No signed checkpoint to compare with yet.'}
        </p>
        <WitnessedLine outcome={outcome} />
      </div>
    );
  }
  return (
    <div className="alert alert-error verify-outcome">
      <p>
        <strong>
          Ledger verification failed at sequence number {outcome.seq} ({kindLabel(outcome.kind)}).
        </strong>
      </p>
      <p>{outcome.message}</p>
    </div>
  );
}

/** Up to which size witnesses have cosigned the log (C2SP cosignatures). */
function WitnessedLine({ outcome }: { readonly outcome: VerifyOutcome }) {
  if (outcome.witnessed.length === 0) return <p>Not witnessed: no witness has cosigned a checkpoint.</p>;
  const best = Math.max(...outcome.witnessed.map((w) => w.treeSize));
  return (
    <p>
      Witnessed up to {best.toLocaleString()} entries (
      {outcome.witnessed.map((w) => `${w.witness}: ${w.treeSize.toLocaleString()}`).join(', ')}).
    </p>
  );
}
