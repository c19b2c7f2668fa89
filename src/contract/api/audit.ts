import { Type, type Static } from '@sinclair/typebox';
import { MAX_AUDIT_PAGE } from '../vocabulary/paging.js';
import { PROOF_FORMAT, VERIFY_FAILURE_KINDS } from '../vocabulary/audit.js';
import { BinaryBody, closed, EpochMs, Nullable } from './common.js';
import { route } from './route.js';

const Hash = Type.String({ description: 'SHA-256, standard base64' });
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Id = Type.String({ minLength: 1, maxLength: 128 });

export const LedgerEntry = Type.Object(
  {
    seq: Type.Integer(),
    time: EpochMs(),
    actor: Nullable(Type.Object({ userId: Type.String(), role: Type.String() }, closed)),
    action: Type.String(),
    target: Nullable(Type.Object({ type: Type.String(), id: Type.String() }, closed)),
    patientId: Nullable(Type.String()),
    outcome: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    prevHash: Type.String(),
    leafHash: Type.String(),
  },
  { ...closed, title: 'LedgerEntry' },
);
export type LedgerEntry = Static<typeof LedgerEntry>;

/** An entry as the admin's audit page reads it: who (by name) did what to whose chart, in words. */
export const DescribedEntry = Type.Object(
  {
    ...LedgerEntry.properties,
    actorName: Type.String({
      description: "Who acted: a staff member's display name, a masked patient, 'Someone' or 'The system'.",
    }),
    patientLabel: Nullable(Type.String(), {
      description: 'The patient as an admin may see them: a masked id (never a name; docs/audit-page.md).',
    }),
    sentence: Type.String({ description: 'The entry in words, without clinical content.' }),
  },
  { ...closed, title: 'DescribedLedgerEntry' },
);

const FilterFields = {
  actorId: Type.Optional(Id),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  targetType: Type.Optional(Type.String({ maxLength: 64 })),
  targetId: Type.Optional(Id),
  patientId: Type.Optional(Id),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' })),
};
const ExportQuery = Type.Object(FilterFields, closed);

const EntriesQuery = Type.Object(
  {
    ...FilterFields,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE })),
    before: Type.Optional(Seq),
  },
  closed,
);
export const EntryPage = Type.Object(
  {
    entries: Type.Array(DescribedEntry),
    nextBefore: Nullable(Type.Integer(), {
      description: 'Pass as `before` for older entries; null at the start.',
    }),
  },
  closed,
);

export const Checkpoint = Type.Object(
  { treeSize: Type.Integer(), root: Hash, note: Type.String(), createdAt: EpochMs() },
  { ...closed, title: 'Checkpoint' },
);
export const LedgerPublicKey = Type.Object(
  {
    origin: Type.String(),
    verifierKey: Type.String({ description: 'The key that signs checkpoints now.' }),
    pem: Type.String(),
    firstKey: Type.Optional(
      Type.String({
        description:
          "The log's first signing key: what a verifier trusts, following `handovers` from it (absent from servers before key handovers).",
      }),
    ),
    handovers: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Every key handover statement (signed note), oldest first; empty when the key was never handed over.',
      }),
    ),
  },
  closed,
);

const InclusionQuery = Type.Object({ index: Seq, treeSize: Seq }, closed);
const ConsistencyQuery = Type.Object({ from: Seq, to: Seq }, closed);

export const InclusionProof = Type.Object(
  {
    format: Type.Literal(PROOF_FORMAT),
    type: Type.Literal('inclusion'),
    origin: Type.String(),
    index: Type.Integer(),
    treeSize: Type.Integer(),
    leafHash: Type.String(),
    entry: Type.Optional(Type.String({ description: "the entry's canonical RFC 8785 bytes" })),
    proof: Type.Array(Hash),
    root: Hash,
  },
  closed,
);
export const ConsistencyProof = Type.Object(
  {
    format: Type.Literal(PROOF_FORMAT),
    type: Type.Literal('consistency'),
    origin: Type.String(),
    from: Type.Integer(),
    to: Type.Integer(),
    proof: Type.Array(Hash),
    fromRoot: Hash,
    toRoot: Hash,
  },
  closed,
);

/** What the verification found outside the database (checkpoint file, witnesses). */
const OutsideFields = {
  outside: Type.Array(
    Type.Object(
      {
        source: Type.String({ description: 'The checkpoint file or a witness (name and URL).' }),
        treeSize: Nullable(Type.Integer(), {
          description: 'Size of the newest valid checkpoint found there.',
        }),
        problem: Nullable(Type.String()),
      },
      closed,
    ),
    { description: 'Each place outside the database the log was held to.' },
  ),
  witnessed: Type.Array(
    Type.Object(
      {
        witness: Type.String(),
        treeSize: Type.Integer({ description: 'The largest size this witness cosigned.' }),
        timestamp: Type.Integer({ description: 'When it cosigned, Unix seconds.' }),
      },
      closed,
    ),
    { description: 'How far each configured witness has cosigned the log (C2SP tlog-cosignature).' },
  ),
};

export const VerifyAnswer = Type.Union(
  [
    Type.Object(
      {
        ok: Type.Literal(true),
        size: Type.Integer(),
        root: Hash,
        checkpoint: Nullable(
          Type.Object(
            {
              treeSize: Type.Integer(),
              root: Hash,
              timestamp: Type.Integer({ description: 'Unix seconds.' }),
              note: Type.String(),
            },
            closed,
          ),
          { description: 'The largest checkpoint the log matched.' },
        ),
        checkpointsChecked: Type.Integer(),
        ...OutsideFields,
      },
      closed,
    ),
    Type.Object(
      {
        ok: Type.Literal(false),
        kind: Type.Union(VERIFY_FAILURE_KINDS.map((k) => Type.Literal(k))),
        seq: Type.Integer({ description: 'The first sequence number that does not verify.' }),
        message: Type.String(),
        verified: Type.Integer({ description: 'Entries verified before it.' }),
        ...OutsideFields,
      },
      closed,
    ),
  ],
  { title: 'LedgerVerification' },
);
export type VerifyAnswer = Static<typeof VerifyAnswer>;

const tags = ['audit'];

/** The audit ledger: entries (admin), checkpoints, proofs, the public key, verification. */
export const auditRoutes = {
  auditPublicKey: route({
    method: 'GET',
    path: '/api/v1/audit/public-key',
    tags,
    summary: "The ledger's checkpoint-signing public key (anyone).",
    ok: { 200: LedgerPublicKey },
    errors: [],
  }),
  auditCheckpoint: route({
    method: 'GET',
    path: '/api/v1/audit/checkpoint',
    tags,
    summary: 'The newest signed checkpoint (C2SP tlog-checkpoint signed note).',
    ok: { 200: Checkpoint },
    errors: [401],
  }),
  auditEntries: route({
    method: 'GET',
    path: '/api/v1/audit/entries',
    tags,
    summary: 'Ledger entries, newest first (admin).',
    query: EntriesQuery,
    ok: { 200: EntryPage },
    errors: [401, 403],
    page: { items: 'entries', next: 'nextBefore', param: 'before' },
  }),
  auditExport: route({
    method: 'GET',
    path: '/api/v1/audit/entries.csv',
    tags,
    summary: 'The entries matching the filters as CSV, newest first (admin; the export is ledgered).',
    description:
      'Same filters as /audit/entries, no paging: the server streams every matching entry a page at a ' +
      'time. Cells that a spreadsheet would run as a formula (= + - @ at the start) get a leading apostrophe.',
    query: ExportQuery,
    ok: { 200: BinaryBody(['text/csv'], 'RFC 4180 CSV, UTF-8, a header line first.') },
    okHeaders: {
      'content-type': Type.Literal('text/csv; charset=utf-8'),
      'content-disposition': Type.String({ description: 'attachment; filename="medvault-audit-<time>.csv"' }),
      'cache-control': Type.Literal('private, no-store'),
    },
    errors: [401, 403],
  }),
  inclusionProof: route({
    method: 'GET',
    path: '/api/v1/audit/proofs/inclusion',
    tags,
    summary: 'RFC 9162 inclusion proof (admin: any entry; patient: entries about them).',
    query: InclusionQuery,
    ok: { 200: InclusionProof },
    errors: [401, 403, 404],
  }),
  consistencyProof: route({
    method: 'GET',
    path: '/api/v1/audit/proofs/consistency',
    tags,
    summary: 'RFC 9162 consistency proof between two tree sizes (any logged-in user).',
    query: ConsistencyQuery,
    ok: { 200: ConsistencyProof },
    errors: [401, 404],
  }),
  verifyLedger: route({
    method: 'POST',
    path: '/api/v1/audit/verify',
    tags,
    summary: 'Verify the whole ledger now (admin).',
    ok: { 200: VerifyAnswer },
    errors: [401, 403],
  }),
} as const;
