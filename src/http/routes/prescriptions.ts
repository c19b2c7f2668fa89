import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { IdField, PatientParams } from './patients.js';
import {
  EvidenceSchema,
  MedicineRef,
  PrescriptionPayloadSchema,
  ROUTES,
  MAX_QUEUE_PAGE,
} from '../../app/prescriptions/index.js';

/** A submission is a few KiB at most; anything larger is refused before it is parsed. */
const SUBMIT_BODY_LIMIT = 16 * 1024;

const Submission = Type.Object(
  {
    payload: PrescriptionPayloadSchema,
    signature: Type.String({
      minLength: 1,
      maxLength: 1400,
      pattern: '^[A-Za-z0-9+/]+={0,2}$',
      description: 'Standard base64 of the signature over the RFC 8785 canonical JSON of payload.',
    }),
    keyId: Type.String({ minLength: 22, maxLength: 22, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
);

const Signed = Type.Object(
  {
    id: Type.String(),
    patientId: Type.String(),
    keyId: Type.String(),
    algorithm: Type.String(),
    payloadSha256: Type.String(),
    issuedAt: Type.Integer(),
    expiresAt: Type.Integer(),
    fillsRemaining: Type.Integer(),
  },
  { additionalProperties: false, title: 'SignedPrescription' },
);

const Person = Type.Object(
  { id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

const Details = Type.Object(
  {
    medicine: MedicineRef,
    dose: Type.String(),
    route: Type.Union(ROUTES.map((r) => Type.Literal(r))),
    frequency: Type.String(),
    quantity: Type.Integer(),
    refills: Type.Integer(),
    instructions: Type.String(),
  },
  { additionalProperties: false },
);

const queueFields = {
  id: Type.String(),
  patient: Person,
  prescriber: Person,
  fillsRemaining: Type.Integer(),
  issuedAt: Type.Integer({ description: 'Epoch milliseconds.' }),
  expiresAt: Type.Integer({ description: 'Epoch milliseconds.' }),
  details: Type.Union([Details, Type.Null()], { description: 'Null when the payload does not read back.' }),
};

const QueueItem = Type.Object(queueFields, { additionalProperties: false, title: 'PrescriptionQueueItem' });

const Verification = Type.Object(
  {
    valid: Type.Boolean(),
    failure: Type.Union([Type.String(), Type.Null()], { description: 'The 422 code dispensing would give.' }),
    message: Type.String(),
    keyId: Type.String(),
    algorithm: Type.String(),
    keyRevokedAt: Type.Union([Type.Integer(), Type.Null()]),
  },
  { additionalProperties: false },
);

const View = Type.Object(
  {
    ...queueFields,
    status: Type.Union([Type.Literal('active'), Type.Literal('dispensed'), Type.Literal('expired')]),
    createdAt: Type.Integer(),
    patientDateOfBirth: Type.Union([Type.String(), Type.Null()]),
    verification: Verification,
    dispenses: Type.Array(
      Type.Object(
        { fillNumber: Type.Integer(), dispensedAt: Type.Integer(), pharmacistId: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: 'Prescription' },
);

const QueueQuery = Type.Object(
  {
    status: Type.Literal('pending', { description: 'Undispensed (fills left) and unexpired.' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_QUEUE_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' })),
  },
  { additionalProperties: false },
);

const Dispensed = Type.Object(
  {
    prescriptionId: Type.String(),
    fillNumber: Type.Integer(),
    fillsRemaining: Type.Integer(),
    status: Type.Union([Type.Literal('active'), Type.Literal('dispensed')]),
    dispensedAt: Type.Integer(),
  },
  { additionalProperties: false },
);

const PrescriptionParams = Type.Object({ id: IdField }, { additionalProperties: false });

/**
 * Signed prescriptions: submit (doctor), queue, verify and dispense (pharmacist), evidence and a
 * patient's list. Thin: src/app/prescriptions decides access and verifies.
 */
export async function prescriptionRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post<{ Body: Static<typeof Submission> }>(
    '/api/v1/prescriptions',
    {
      bodyLimit: SUBMIT_BODY_LIMIT,
      schema: {
        tags: ['prescriptions'],
        summary:
          'A doctor submits a prescription signed in their browser or CLI (422 when the signature or key is refused).',
        body: Submission,
        response: { 201: Signed, ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await ctx.prescriptions.prescriptions.sign(requireScope(request), request.body)),
  );

  app.get<{ Querystring: Static<typeof QueueQuery> }>(
    '/api/v1/prescriptions',
    {
      schema: {
        tags: ['prescriptions'],
        summary: 'The pharmacist queue: undispensed, unexpired prescriptions, oldest first.',
        querystring: QueueQuery,
        response: {
          200: Type.Object(
            { items: Type.Array(QueueItem), nextCursor: Type.Union([Type.String(), Type.Null()]) },
            { additionalProperties: false },
          ),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      return ctx.prescriptions.prescriptions.queue(requireScope(request), {
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    },
  );

  app.get<{ Params: Static<typeof PrescriptionParams> }>(
    '/api/v1/prescriptions/:id',
    {
      schema: {
        tags: ['prescriptions'],
        summary:
          'One prescription with its verification result: who signed, key id, algorithm, valid or why not.',
        params: PrescriptionParams,
        response: { 200: View, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ctx.prescriptions.prescriptions.get(requireScope(request), request.params.id),
  );

  app.post<{ Params: Static<typeof PrescriptionParams> }>(
    '/api/v1/prescriptions/:id/dispense',
    {
      schema: {
        tags: ['prescriptions'],
        summary:
          'Re-verifies and dispenses one fill, exactly once (409 when already taken, 422 when it does not verify).',
        params: PrescriptionParams,
        response: { 200: Dispensed, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ctx.prescriptions.prescriptions.dispense(requireScope(request), request.params.id),
  );

  app.get<{ Params: Static<typeof PrescriptionParams> }>(
    '/api/v1/prescriptions/:id/evidence',
    {
      schema: {
        tags: ['prescriptions'],
        summary:
          'Evidence to verify the signature offline (`medvault rx verify`): payload, signature, public key.',
        params: PrescriptionParams,
        response: { 200: EvidenceSchema, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ctx.prescriptions.prescriptions.evidence(requireScope(request), request.params.id),
  );

  app.get<{ Params: Static<typeof PatientParams> }>(
    '/api/v1/patients/:id/prescriptions',
    {
      schema: {
        tags: ['prescriptions'],
        summary:
          "A patient's prescriptions, newest first (the patient; doctors whose access covers prescriptions).",
        params: PatientParams,
        response: {
          200: Type.Object({ prescriptions: Type.Array(View) }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      prescriptions: await ctx.prescriptions.prescriptions.forPatient(
        requireScope(request),
        request.params.id,
      ),
    }),
  );
}
