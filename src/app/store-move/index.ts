/** `medvault store migrate`: a SQLite hospital moved into an empty PostgreSQL database, proven. */
export { moveStore, type StoreMoveOptions, type StoreMoveReport, type MoveStart } from './store-move.js';
export { MoveInterrupted, ATTACHMENTS_ITEM, type CopyProgress, type CopyResult } from './table-mover.js';
export type { TableProof, LedgerProof } from './move-proof.js';
