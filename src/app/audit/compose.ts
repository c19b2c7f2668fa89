import { CheckpointFormatError } from '../../crypto/checkpoint.js';
import { UnsupportedFormatError } from '../../crypto/errors.js';
import type { Db } from '../../store/database.js';
import type { Keyring } from '../keyring.js';
import { StartupError } from '../startup-error.js';
import { AutoCheckpoints, type CheckpointPolicy } from './auto-checkpoints.js';
import { AuditLedger } from './ledger.js';
import { LedgerAccess } from './ledger-access.js';
import { LedgerVerification } from './ledger-verification.js';
import { WitnessClient, type HandoverSource, type WitnessConfig } from './witness-client.js';

/** The audit context of a running process: the ledger, and who may read which part of it. */
export interface AuditServices {
  /** The audit ledger: append inside the action's transaction; checkpoints, proofs, verify. */
  readonly ledger: AuditLedger;
  /** Who may read which part of the ledger (HTTP adapters go through this, not the ledger). */
  readonly ledgerAccess: LedgerAccess;
  /** The whole log held to the database's checkpoints and to those outside it (`audit verify`). */
  readonly verification: LedgerVerification;
  /**
   * Signs checkpoints by itself and publishes them outside the database (file, witnesses):
   * started by `medvault serve`, stopped (after a last checkpoint) by `close`.
   */
  readonly autoCheckpoints: AutoCheckpoints;
}

export interface AuditContextDeps {
  readonly db: Db;
  readonly keyring: Keyring;
  /** Epoch milliseconds: entry times and checkpoint ages. */
  readonly clock: () => number;
  /** When to sign, and where checkpoints go outside the database. */
  readonly checkpoints: CheckpointPolicy & {
    readonly file: string;
    readonly witnesses: readonly WitnessConfig[];
  };
}

/** Builds the audit context (opens the ledger's MAC and signing keys from the keyring). */
export async function composeAudit(deps: AuditContextDeps): Promise<AuditServices> {
  const ledger = await AuditLedger.open(deps.keyring, { clock: deps.clock });
  await ledger.syncKeys(deps.db); // sign with the key the log was last handed to
  const { file, everyEntries, everySeconds } = deps.checkpoints;
  // A witness that knows only an earlier key is given the handovers (witness-client.ts).
  const handovers: HandoverSource = () => ledger.handovers(deps.db);
  const witnesses = deps.checkpoints.witnesses.map((config) => witnessClient(config, handovers));
  const verification = new LedgerVerification(deps.db, ledger, file, witnesses);
  return {
    ledger,
    ledgerAccess: new LedgerAccess(deps.db, ledger, verification, deps.clock),
    verification,
    autoCheckpoints: new AutoCheckpoints(
      deps.db,
      ledger,
      { everyEntries, everySeconds },
      { file, witnesses },
      deps.clock,
    ),
  };
}

function witnessClient(config: WitnessConfig, handovers: HandoverSource): WitnessClient {
  try {
    return new WitnessClient(config, fetch, handovers);
  } catch (err) {
    if (err instanceof CheckpointFormatError || err instanceof UnsupportedFormatError) {
      throw new StartupError(`MEDVAULT_WITNESSES: the key of ${config.url} is refused: ${err.message}`);
    }
    throw err;
  }
}
