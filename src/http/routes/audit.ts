import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';

const Hash = Type.String({ description: 'SHA-256, standard base64' });
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Id = Type.String({ minLength: 1, maxLength: 128 });

const Entry = Type.Object(
  {
    seq: Type.Integer(),
    time: Type.Integer({ description: 'epoch milliseconds' }),
    actor: Type.Union([Type.Object({ userId: Type.String(), role: Type.String() }), Type.Null()]),
    action: Type.String(),
    target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    patientId: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    prevHash: Type.String(),
    leafHash: Type.String(),
  },
  { title: 'LedgerEntry' },
);

const EntriesQuery = Type.Object(
  {
    actorId: Type.Optional(Id),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    targetType: Type.Optional(Type.String({ maxLength: 64 })),
    targetId: Type.Optional(Id),
    patientId: Type.Optional(Id),
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    before: Type.Optional(Seq),
  },
  { additionalProperties: false },
);

const Checkpoint = Type.Object(
  { treeSize: Type.Integer(), root: Hash, note: Type.String(), createdAt: Type.Integer() },
  { title: 'Checkpoint' },
);

const InclusionQuery = Type.Object({ index: Seq, treeSize: Seq }, { additionalProperties: false });
const ConsistencyQuery = Type.Object({ from: Seq, to: Seq }, { additionalProperties: false });

const InclusionProof = Type.Object({
  format: Type.String(),
  type: Type.Literal('inclusion'),
  origin: Type.String(),
  index: Type.Integer(),
  treeSize: Type.Integer(),
  leafHash: Type.String(),
  entry: Type.Optional(Type.String({ description: "the entry's canonical RFC 8785 bytes" })),
  proof: Type.Array(Hash),
  root: Hash,
});
const ConsistencyProof = Type.Object({
  format: Type.String(),
  type: Type.Literal('consistency'),
  origin: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  proof: Type.Array(Hash),
  fromRoot: Hash,
  toRoot: Hash,
});

/**
 * The audit ledger over HTTP. Thin: LedgerAccess decides who sees what (admins everything,
 * patients proofs of their own entries, any logged-in user checkpoints and consistency proofs,
 * anyone the public key).
 */
export async function auditRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const tags = ['audit'];
  const access = ctx.audit.ledgerAccess;

  app.get(
    '/api/v1/audit/public-key',
    {
      schema: {
        tags,
        summary: "The ledger's checkpoint-signing public key (anyone).",
        response: {
          200: Type.Object({ origin: Type.String(), verifierKey: Type.String(), pem: Type.String() }),
        },
      },
    },
    async () => access.publicKey(),
  );

  app.get(
    '/api/v1/audit/checkpoint',
    {
      schema: {
        tags,
        summary: 'The newest signed checkpoint (C2SP tlog-checkpoint signed note).',
        response: { 200: Checkpoint, ...errorResponses(401) },
      },
    },
    async (request) => access.checkpoint(requireScope(request)),
  );

  app.get<{ Querystring: Static<typeof EntriesQuery> }>(
    '/api/v1/audit/entries',
    {
      schema: {
        tags,
        summary: 'Ledger entries, newest first (admin).',
        querystring: EntriesQuery,
        response: {
          200: Type.Object({
            entries: Type.Array(Entry),
            nextBefore: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const scope = requireScope(request);
      const { limit, before, ...filter } = request.query;
      return access.entries(scope, filter, {
        ...(limit === undefined ? {} : { limit }),
        before: before ?? null,
      });
    },
  );

  app.get<{ Querystring: Static<typeof InclusionQuery> }>(
    '/api/v1/audit/proofs/inclusion',
    {
      schema: {
        tags,
        summary: 'RFC 9162 inclusion proof (admin: any entry; patient: entries about them).',
        querystring: InclusionQuery,
        response: { 200: InclusionProof, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      access.inclusionProof(requireScope(request), request.query.index, request.query.treeSize),
  );

  app.get<{ Querystring: Static<typeof ConsistencyQuery> }>(
    '/api/v1/audit/proofs/consistency',
    {
      schema: {
        tags,
        summary: 'RFC 9162 consistency proof between two tree sizes (any logged-in user).',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyProof, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => access.consistencyProof(requireScope(request), request.query.from, request.query.to),
  );

  app.post(
    '/api/v1/audit/verify',
    {
      schema: {
        tags,
        summary: 'Verify the whole ledger now (admin).',
        response: {
          200: Type.Object({ ok: Type.Boolean() }, { additionalProperties: true }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => access.verify(requireScope(request)),
  );
}
