import { Type, type Static } from '@sinclair/typebox';
import { MAX_BREAK_GLASS_REASON, MIN_BREAK_GLASS_REASON } from '../vocabulary/break-glass.js';
import { GRANT_SCOPES } from '../vocabulary/grant-scopes.js';
import { RECORD_TYPES } from '../vocabulary/record-types.js';
import { closed, EpochMs, IdField, IdParams, NoContent, Nullable } from './common.js';
import { route } from './route.js';

export const RecordTypeField = Type.Union(RECORD_TYPES.map((t) => Type.Literal(t)));
export const GrantScopeField = Type.Union(
  GRANT_SCOPES.map((s) => Type.Literal(s)),
  {
    description:
      "'read' (the default): read the covered records; 'read_write': also add records and attachments, and prescribe.",
  },
);
const GrantParams = Type.Object({ id: IdField, grantId: IdField }, closed);

export const GrantRequest = Type.Object(
  {
    doctorId: IdField,
    recordTypes: Type.Optional(
      Type.Array(RecordTypeField, { minItems: 1, maxItems: RECORD_TYPES.length, uniqueItems: true }),
    ),
    scope: Type.Optional(GrantScopeField),
    expiresAt: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'ISO 8601 date-time in the future; omit for no expiry.',
      }),
    ),
  },
  closed,
);
export type GrantRequest = Static<typeof GrantRequest>;

export const Grant = Type.Object(
  {
    id: Type.String(),
    doctorId: Type.String(),
    doctorName: Nullable(Type.String()),
    recordTypes: Nullable(Type.Array(Type.String()), { description: 'Null: every record type.' }),
    scope: GrantScopeField,
    expiresAt: Nullable(EpochMs(), { description: 'Epoch milliseconds, or null.' }),
    createdAt: EpochMs(),
    revokedAt: Nullable(EpochMs()),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  },
  { ...closed, title: 'Grant' },
);
export type Grant = Static<typeof Grant>;

export const Doctor = Type.Object({ id: Type.String(), displayName: Nullable(Type.String()) }, closed);
export type Doctor = Static<typeof Doctor>;

export const BreakGlassRequest = Type.Object(
  {
    reason: Type.String({
      minLength: MIN_BREAK_GLASS_REASON,
      maxLength: MAX_BREAK_GLASS_REASON,
      description: 'Why access is needed now (stored encrypted).',
    }),
  },
  closed,
);
export const BreakGlassOpened = Type.Object(
  {
    breakGlassId: Type.String(),
    patientId: Type.String(),
    expiresAt: EpochMs('Epoch milliseconds; access lasts one hour.'),
  },
  closed,
);

const tags = ['sharing'];

/** A patient's grants, the doctor directory, and break-glass. */
export const sharingRoutes = {
  createGrant: route({
    method: 'POST',
    path: '/api/v1/patients/:id/grants',
    tags,
    summary: 'The patient grants a doctor access to their records (optionally some types, until a time).',
    params: IdParams,
    body: GrantRequest,
    ok: { 201: Type.Object({ grant: Grant }, closed) },
    errors: [401, 403, 404],
  }),
  listGrants: route({
    method: 'GET',
    path: '/api/v1/patients/:id/grants',
    tags,
    summary: "The patient's grants, newest first, revoked and expired included.",
    params: IdParams,
    ok: { 200: Type.Object({ grants: Type.Array(Grant) }, closed) },
    errors: [401, 403, 404],
  }),
  revokeGrant: route({
    method: 'DELETE',
    path: '/api/v1/patients/:id/grants/:grantId',
    tags,
    summary: 'Revokes a grant with immediate effect.',
    params: GrantParams,
    ok: { 204: NoContent('Revoked.') },
    errors: [401, 403, 404],
  }),
  listDoctors: route({
    method: 'GET',
    path: '/api/v1/doctors',
    tags,
    summary: 'Active doctors (id and display name), to pick for a grant or a care team.',
    ok: { 200: Type.Object({ doctors: Type.Array(Doctor) }, closed) },
    errors: [401],
  }),
  breakGlass: route({
    method: 'POST',
    path: '/api/v1/patients/:id/break-glass',
    tags,
    summary:
      "Emergency access to a patient's records for one hour, with a reason (doctor; flagged in the ledger).",
    params: IdParams,
    body: BreakGlassRequest,
    ok: { 201: BreakGlassOpened },
    errors: [401, 403, 404],
  }),
} as const;
