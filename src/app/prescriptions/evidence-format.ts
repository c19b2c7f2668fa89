/**
 * The evidence of one prescription (format and schema): declared in the contract, since the
 * server answers it and `medvault rx verify` reads it.
 */
export { EVIDENCE_FORMAT, EvidenceSchema, type Evidence } from '../../contract/api/prescription-evidence.js';
