/**
 * The MedVault backup file (format 1):
 *
 *     "MVBACKUP" (8) | format version (1 byte, 1) | header length (uint32 BE) | header (JSON)
 *     sealed stream: createSealStream (AES-256-GCM STREAM, src/crypto/envelope-stream.ts) under
 *       the backup's encryption key, context {table: "backup", rowId: <id>, field: "archive"}
 *     Ed25519 signature (64) over SHA-256 of every byte before it
 *
 * The header is in clear and covered by the signature: id, time, dialect, the HKDF salt, the key
 * check, the signing public key, and — for a split master key — the split's commitments, so a
 * restore can take the officers' shares; for a root inside a PKCS#11 module, the random secret
 * the backup's keys derive from, sealed by that module (only the token opens it). The sealed plaintext is
 *
 *     manifest length (uint32 BE) | manifest (JSON: parts with size and SHA-256, migrations,
 *     the newest signed checkpoint) | each part's bytes, in manifest order
 *
 * Keys: src/crypto/backup-keys.ts. The master key is never in the file, in any form.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { EnvelopeContext } from '../../crypto/envelope.js';

export const MAGIC = Buffer.from('MVBACKUP', 'latin1');
export const FORMAT_VERSION = 1;
/** Magic, version byte, header length. */
export const PREAMBLE_BYTES = MAGIC.length + 1 + 4;
export const SIGNATURE_BYTES = 64;
/** A header larger than this is refused before it is parsed. */
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export const DATABASE_PART = { sqlite: 'database/medvault.db', postgres: 'database/postgres.jsonl' } as const;
/** Part names a restore accepts: the database of its dialect, and attachment files. */
export const PART_NAME =
  /^(database\/medvault\.db|database\/postgres\.jsonl|attachments\/[0-9a-f-]{36}\.mves)$/;

const Hex = (bytes: number) => Type.String({ pattern: `^[0-9a-f]{${bytes * 2}}$` });
const B64 = Type.String({ pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 100 });

export const BackupHeader = Type.Object(
  {
    format: Type.Literal('medvault-backup/v1'),
    id: Hex(16),
    createdAt: Type.Integer({ minimum: 0 }),
    dialect: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    salt: B64,
    keyCheck: B64,
    publicKey: B64,
    /**
     * A backup made under a root inside a PKCS#11 module: its keys derive from a random secret the
     * module sealed (bound to the id, see moduleSecretContext); `sealedBy` names the token.
     */
    module: Type.Optional(
      Type.Object(
        {
          sealedBy: Type.String({ maxLength: 100 }),
          sealedSecret: Type.String({ pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 400 }),
        },
        { additionalProperties: false },
      ),
    ),
    custody: Type.Union([
      Type.Null(),
      Type.Object(
        {
          threshold: Type.Integer({ minimum: 2, maximum: 255 }),
          shares: Type.Integer({ minimum: 2, maximum: 255 }),
          setId: Hex(8),
          keyCommitment: Hex(32),
          shareCommitments: Type.Record(Type.String({ pattern: '^[0-9]{1,3}$' }), Hex(32)),
        },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
export type BackupHeader = Static<typeof BackupHeader>;

export const BackupManifest = Type.Object(
  {
    parts: Type.Array(
      Type.Object(
        { name: Type.String({ maxLength: 200 }), size: Type.Integer({ minimum: 0 }), sha256: Hex(32) },
        { additionalProperties: false },
      ),
    ),
    migrations: Type.Array(Type.String({ maxLength: 100 })),
    /** The newest signed checkpoint when the snapshot was taken (its tree is within the snapshot's). */
    checkpoint: Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]),
    /** Rows in a PostgreSQL dump (the restore's progress bar); absent for SQLite. */
    rows: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type BackupManifest = Static<typeof BackupManifest>;

/** The context the archive stream is sealed under: bound to this backup's id. */
export const archiveContext = (id: string): EnvelopeContext => ({
  table: 'backup',
  rowId: id,
  patientId: null,
  field: 'archive',
});

/** The context a PKCS#11 root seals a backup's secret under: bound to this backup's id. */
export const moduleSecretContext = (id: string): EnvelopeContext => ({
  table: 'backup',
  rowId: id,
  patientId: null,
  field: 'secret',
});

/** Checks parsed JSON against a schema; names what is wrong. */
export function checked<T>(schema: Parameters<typeof Value.Check>[0], value: unknown, what: string): T {
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value).First();
    throw new TypeError(`${what} is malformed${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`);
  }
  return value as T;
}
