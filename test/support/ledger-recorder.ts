import type { AuditEvent, AuditLedger } from '../../src/app/audit/index.js';
import type { DbOrTx } from '../../src/store/database.js';

/**
 * Watches real ledgers: every entry a service appends still goes through the ledger (so its
 * vocabulary and shape checks apply and the entry is written) and is kept here too, with whether
 * the service appended it inside a transaction.
 */
export class LedgerRecorder {
  readonly entries: Array<AuditEvent & { inTransaction: boolean }> = [];

  /** Starts recording what `ledger` is asked to append (wraps the instance's append methods). */
  watch(ledger: AuditLedger): void {
    const append = ledger.append.bind(ledger);
    const appendMany = ledger.appendMany.bind(ledger);
    ledger.append = (tx: DbOrTx, event: AuditEvent) => {
      this.entries.push({ ...event, inTransaction: tx.isTransaction });
      return append(tx, event);
    };
    ledger.appendMany = (tx: DbOrTx, events: readonly AuditEvent[]) => {
      for (const event of events) this.entries.push({ ...event, inTransaction: tx.isTransaction });
      return appendMany(tx, events);
    };
  }

  actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}
