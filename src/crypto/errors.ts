/**
 * Errors raised by the pure cryptographic layer.
 *
 * An integrity failure is an expected, attacker-reachable outcome (tampered bytes, a ciphertext
 * moved to another row, a wrong key), so it is a distinct type that the application maps to
 * 422 and records in the ledger. Messages never contain key material or plaintext.
 */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
  constructor(
    /** What failed, e.g. "payload authentication", "key commitment", "truncated stream". */
    readonly reason: string,
  ) {
    super(`integrity check failed: ${reason}`);
  }
}

/** A blob names a format version, algorithm or key version this build does not know. */
export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError';
  constructor(readonly reason: string) {
    super(`unsupported format: ${reason}`);
  }
}

/** The keyring has no key with the version a blob names. */
export class UnknownKeyVersionError extends Error {
  override readonly name = 'UnknownKeyVersionError';
  constructor(readonly version: number) {
    super(`no key-encryption key with version ${version} in the keyring`);
  }
}
