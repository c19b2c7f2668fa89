/**
 * A reason MedVault refuses to start or to run a command (unsafe key file, wrong master key,
 * unreachable database). The CLI prints the message alone, without a stack trace, and exits 1.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
