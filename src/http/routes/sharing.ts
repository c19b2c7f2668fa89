import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { GRANT_SCOPES } from '../../contract/vocabulary/grant-scopes.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { IdField, PatientParams } from './patients.js';
import { RECORD_TYPES } from '../../app/sharing/index.js';

const RecordType = Type.Union(RECORD_TYPES.map((t) => Type.Literal(t)));
const GrantScope = Type.Union(
  GRANT_SCOPES.map((s) => Type.Literal(s)),
  {
    description:
      "'read' (the default): read the covered records; 'read_write': also add records and attachments, and prescribe.",
  },
);
const GrantParams = Type.Object({ id: IdField, grantId: IdField }, { additionalProperties: false });

const GrantRequest = Type.Object(
  {
    doctorId: IdField,
    recordTypes: Type.Optional(
      Type.Array(RecordType, { minItems: 1, maxItems: RECORD_TYPES.length, uniqueItems: true }),
    ),
    scope: Type.Optional(GrantScope),
    expiresAt: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'ISO 8601 date-time in the future; omit for no expiry.',
      }),
    ),
  },
  { additionalProperties: false },
);

const Grant = Type.Object(
  {
    id: Type.String(),
    doctorId: Type.String(),
    doctorName: Type.Union([Type.String(), Type.Null()]),
    recordTypes: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'Null: every record type.',
    }),
    scope: GrantScope,
    expiresAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds, or null.' }),
    createdAt: Type.Integer(),
    revokedAt: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  },
  { additionalProperties: false, title: 'Grant' },
);

const Doctors = Type.Object(
  {
    doctors: Type.Array(
      Type.Object(
        { id: Type.String(), displayName: Type.Union([Type.String(), Type.Null()]) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const BreakGlassRequest = Type.Object(
  {
    reason: Type.String({
      minLength: 10,
      maxLength: 1000,
      description: 'Why access is needed now (stored encrypted).',
    }),
  },
  { additionalProperties: false },
);

const BreakGlassAnswer = Type.Object(
  {
    breakGlassId: Type.String(),
    patientId: Type.String(),
    expiresAt: Type.Integer({ description: 'Epoch milliseconds; access lasts one hour.' }),
  },
  { additionalProperties: false },
);

/**
 * Sharing: a patient's grants (create, list, revoke), the doctor directory, and break-glass.
 * Thin: the services decide (another patient's grants are 404; staff managing grants 403).
 */
export async function sharingRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post<{ Params: Static<typeof PatientParams>; Body: Static<typeof GrantRequest> }>(
    '/api/v1/patients/:id/grants',
    {
      schema: {
        tags: ['sharing'],
        summary: 'The patient grants a doctor access to their records (optionally some types, until a time).',
        params: PatientParams,
        body: GrantRequest,
        response: {
          201: Type.Object({ grant: Grant }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const grant = await ctx.sharing.grants.create(requireScope(request), request.params.id, request.body);
      return reply.code(201).send({ grant });
    },
  );

  app.get<{ Params: Static<typeof PatientParams> }>(
    '/api/v1/patients/:id/grants',
    {
      schema: {
        tags: ['sharing'],
        summary: "The patient's grants, newest first, revoked and expired included.",
        params: PatientParams,
        response: {
          200: Type.Object({ grants: Type.Array(Grant) }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ grants: await ctx.sharing.grants.list(requireScope(request), request.params.id) }),
  );

  app.delete<{ Params: Static<typeof GrantParams> }>(
    '/api/v1/patients/:id/grants/:grantId',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Revokes a grant with immediate effect.',
        params: GrantParams,
        response: { 204: { type: 'null', description: 'Revoked.' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await ctx.sharing.grants.revoke(requireScope(request), request.params.id, request.params.grantId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/doctors',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Active doctors (id and display name), to pick for a grant or a care team.',
        response: { 200: Doctors, ...errorResponses(401) },
      },
    },
    async (request) => ({ doctors: await ctx.sharing.grants.doctors(requireScope(request)) }),
  );

  app.post<{ Params: Static<typeof PatientParams>; Body: Static<typeof BreakGlassRequest> }>(
    '/api/v1/patients/:id/break-glass',
    {
      schema: {
        tags: ['sharing'],
        summary:
          "Emergency access to a patient's records for one hour, with a reason (doctor; flagged in the ledger).",
        params: PatientParams,
        body: BreakGlassRequest,
        response: { 201: BreakGlassAnswer, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await ctx.sharing.breakGlass.open(requireScope(request), request.params.id, request.body.reason),
        ),
  );
}
