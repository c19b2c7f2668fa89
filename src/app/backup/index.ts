/**
 * Backups: `createBackup` (a consistent snapshot while the server runs, attachments, the newest
 * signed checkpoint and a manifest, encrypted and signed under keys derived from the keyring's root),
 * `verifyBackup` (everything checked, nothing restored) and `restoreBackup` (into an empty data
 * folder or database). File layout: ./backup-file.ts.
 */
export { createBackup, type BackupProgress, type BackupResult } from './create-backup.js';
export {
  readBackupHead,
  unsealModuleSecret,
  verifyBackup,
  type BackupHead,
  type VerifiedBackup,
  type VerifyProgress,
} from './read-backup.js';
export { restoreBackup, type RestoreProgress } from './restore-backup.js';
export { newestSignedCheckpoint } from './checkpoint-source.js';
export type { BackupHeader, BackupManifest } from './backup-file.js';
export { checkRestoredLedger, type RestoredLedgerCheck } from './check-restored.js';
