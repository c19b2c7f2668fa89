import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { DateField, PasswordField, PinField, SsnField } from './auth-patient.js';

/** An id in a path: bounded printable text (an unknown id is a 404 from the service, not a 400). */
export const IdField = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' });
export const PatientParams = Type.Object({ id: IdField }, { additionalProperties: false });
const CareTeamParams = Type.Object({ id: IdField, doctorId: IdField }, { additionalProperties: false });

const Registration = Type.Object(
  {
    ssn: SsnField,
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    dateOfBirth: DateField,
    pin: PinField,
    password: PasswordField,
    smokingStatus: Type.Union(['never', 'former', 'current', 'unknown'].map((s) => Type.Literal(s))),
  },
  { additionalProperties: false },
);

const Registered = Type.Object(
  {
    patientId: Type.String(),
    recoveryCode: Type.String({
      description: 'Shown once: the patient needs it to recover a forgotten PIN.',
    }),
  },
  { additionalProperties: false },
);

const Relation = Type.Union(['self', 'care_team', 'grant', 'break_glass'].map((r) => Type.Literal(r)));

const PatientListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

const PatientPage = Type.Object(
  {
    patients: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          fullName: Type.String(),
          maskedSsn: Type.String({ description: '***-**-1234' }),
          relation: Type.Optional(Relation),
        },
        { additionalProperties: false },
      ),
    ),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const Demographics = Type.Object(
  {
    id: Type.String(),
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    maskedSsn: Type.String(),
    smokingStatus: Type.String(),
    registeredAt: Type.Integer({ description: 'Epoch milliseconds.' }),
    careTeam: Type.Array(
      Type.Object(
        {
          doctorId: Type.String(),
          displayName: Type.Union([Type.String(), Type.Null()]),
          assignedAt: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ResetIssued = Type.Object(
  {
    resetToken: Type.String({ description: 'One-time, shown once; give it to the patient in person.' }),
    expiresAt: Type.Integer({ description: 'Epoch milliseconds (24 hours).' }),
  },
  { additionalProperties: false },
);

const CareTeamRequest = Type.Object({ doctorId: IdField }, { additionalProperties: false });
const CareTeamAnswer = Type.Object(
  { patientId: Type.String(), doctorId: Type.String(), added: Type.Boolean() },
  { additionalProperties: false },
);

/**
 * Patient routes for registrars (register, list, demographics, care team, assisted PIN reset)
 * and the reachable-patients list for doctors and patients. Thin: the services decide access.
 */
export async function patientRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post<{ Body: Static<typeof Registration> }>(
    '/api/v1/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Registers a patient (registrar); answers the id and a one-time recovery code.',
        body: Registration,
        response: { 201: Registered, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await ctx.identity.patients.register(requireScope(request), request.body)),
  );

  app.get<{ Querystring: Static<typeof PatientListQuery> }>(
    '/api/v1/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Registrars: every patient, paged. Doctors: patients they can reach, with the relation.',
        querystring: PatientListQuery,
        response: { 200: PatientPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ctx.identity.patientDirectory.list(requireScope(request), request.query),
  );

  app.get<{ Params: Static<typeof PatientParams> }>(
    '/api/v1/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: "A patient's demographics (registrar; the patient; a doctor with access).",
        params: PatientParams,
        response: { 200: Demographics, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ctx.identity.patients.get(requireScope(request), request.params.id),
  );

  app.post<{ Params: Static<typeof PatientParams> }>(
    '/api/v1/patients/:id/pin-reset',
    {
      schema: {
        tags: ['patients'],
        summary: 'Registrar-assisted PIN reset: a one-time token valid 24 hours.',
        params: PatientParams,
        response: { 200: ResetIssued, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ctx.identity.pinRecovery.issueReset(requireScope(request), request.params.id),
  );

  app.post<{ Params: Static<typeof PatientParams>; Body: Static<typeof CareTeamRequest> }>(
    '/api/v1/patients/:id/care-team',
    {
      schema: {
        tags: ['patients', 'sharing'],
        summary: "Puts an active doctor on the patient's care team (registrar).",
        params: PatientParams,
        body: CareTeamRequest,
        response: { 200: CareTeamAnswer, 201: CareTeamAnswer, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const result = await ctx.sharing.careTeams.assign(
        requireScope(request),
        request.params.id,
        request.body.doctorId,
      );
      return reply.code(result.added ? 201 : 200).send(result);
    },
  );

  app.delete<{ Params: Static<typeof CareTeamParams> }>(
    '/api/v1/patients/:id/care-team/:doctorId',
    {
      schema: {
        tags: ['patients', 'sharing'],
        summary: "Takes a doctor off the patient's care team (registrar).",
        params: CareTeamParams,
        response: { 204: { type: 'null', description: 'Removed.' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await ctx.sharing.careTeams.remove(requireScope(request), request.params.id, request.params.doctorId);
      return reply.code(204).send();
    },
  );
}
