import type { PageProps } from '../page-props.js';
import { AuditEntries } from './AuditEntries.js';
import { CheckpointCard } from './CheckpointCard.js';
import { VerifyPanel } from './VerifyPanel.js';

/**
 * Admin: the tamper-evident audit ledger. The latest signed checkpoint and its verifier key, a
 * full verification on demand, and the entries themselves (which hold no clinical plaintext).
 */
export function AuditPage(props: PageProps) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Every sign-in, record access, grant and prescription is an entry in an append-only Merkle-tree log.
        Signed checkpoints let anyone prove that an entry is in the log and that the log only grew.
      </p>
      <div className="page-columns">
        <VerifyPanel />
        <CheckpointCard />
      </div>
      <AuditEntries />
    </section>
  );
}
