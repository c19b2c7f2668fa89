import { entry, type ErrorEntry } from '../error-kinds.js';

/** Audit ledger. Part of the one catalogue, src/contract/errors.ts. */
export const AUDIT_ERRORS = {
  invalid_audit_event: entry(
    'invalid_input',
    'audit',
    'The audit event filter is not known.',
    'an audit entry filter naming an unknown event',
  ),
  invalid_proof_request: entry(
    'invalid_input',
    'audit',
    'The proof request is invalid.',
    'an inclusion or consistency proof asked for sizes or indexes the log does not have',
  ),
  invalid_proof_document: entry(
    'invalid_input',
    'audit',
    'The proof document is not readable.',
    'a proof document given to `medvault audit proof verify` that does not parse',
  ),
  invalid_verifier_key: entry(
    'invalid_input',
    'audit',
    'The verifier key is not readable.',
    'a checkpoint verifier key (note format) that does not parse',
  ),
  invalid_handover_file: entry(
    'invalid_input',
    'audit',
    'The key handovers file is not readable, or does not start from the given key.',
    'a `medvault keys handovers` file given to a verifier that does not parse, or whose first key is not `--key`',
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;
