/** `medvault store migrate`: a whole hospital from a SQLite data folder to PostgreSQL, proven. */
export { moveStore, type MovePlan, type StoreMoveOptions, type StoreMoveReport } from './store-move.js';
export { MoveInterrupted } from './table-mover.js';
export type { AttachmentTransfer } from './attachment-transfer.js';
export type { LedgerProof, TableProof } from './move-proof.js';
