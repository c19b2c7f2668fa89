import { Type, type Static } from '@sinclair/typebox';
import { MAX_QUEUE_PAGE } from '../vocabulary/paging.js';
import { closed, EpochMs, IdParams, NextCursor, Nullable } from './common.js';
import { EvidenceSchema } from './prescription-evidence.js';
import { Medicine } from './medicines.js';
import {
  KeyIdField,
  MedicineRef,
  OverrideField,
  PrescriptionPayloadSchema,
  RouteField,
} from './prescription-payload.js';
import { route } from './route.js';

/** A submission is a few KiB at most; anything larger is refused before it is parsed. */
export const SUBMIT_BODY_LIMIT = 16 * 1024;

export const PrescriptionSubmission = Type.Object(
  {
    payload: PrescriptionPayloadSchema,
    signature: Type.String({
      minLength: 1,
      maxLength: 1400,
      pattern: '^[A-Za-z0-9+/]+={0,2}$',
      description: 'Standard base64 of the signature over the RFC 8785 canonical JSON of payload.',
    }),
    keyId: KeyIdField,
  },
  closed,
);
export type PrescriptionSubmission = Static<typeof PrescriptionSubmission>;

export const SignedPrescription = Type.Object(
  {
    id: Type.String(),
    patientId: Type.String(),
    keyId: Type.String(),
    algorithm: Type.String(),
    payloadSha256: Type.String(),
    issuedAt: EpochMs(),
    expiresAt: EpochMs(),
    fillsRemaining: Type.Integer(),
  },
  { ...closed, title: 'SignedPrescription' },
);

const Person = Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, closed);

export const PrescriptionDetails = Type.Object(
  {
    medicine: MedicineRef,
    dose: Type.String(),
    route: RouteField,
    frequency: Type.String(),
    quantity: Type.Integer(),
    refills: Type.Integer(),
    instructions: Type.String(),
    override: Nullable(OverrideField, {
      description: "The doctor's signed reason to prescribe despite warnings, and the warnings shown.",
    }),
  },
  closed,
);

export const PrescribingWarning = Type.Object(
  {
    code: Type.String({
      description:
        'What matched: allergy:<ingredient>, allergy-class:<class>, duplicate:<ingredient>, duplicate-class:<class>.',
    }),
    kind: Type.Union([Type.Literal('allergy'), Type.Literal('duplicate')]),
    message: Type.String(),
  },
  { ...closed, title: 'PrescribingWarning' },
);
export type PrescribingWarning = Static<typeof PrescribingWarning>;

export const PrescribingCheck = Type.Object(
  {
    medicine: Medicine,
    warnings: Type.Array(PrescribingWarning),
    allergiesChecked: Type.Boolean({
      description: "False when the caller's access does not cover the patient's allergy records.",
    }),
  },
  { ...closed, title: 'PrescribingCheck' },
);
const PrescribingCheckQuery = Type.Object(
  { medicineId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' }) },
  closed,
);

const queueFields = {
  id: Type.String(),
  patient: Person,
  prescriber: Person,
  fillsRemaining: Type.Integer(),
  issuedAt: EpochMs(),
  expiresAt: EpochMs(),
  details: Nullable(PrescriptionDetails, { description: 'Null when the payload does not read back.' }),
};

export const QueueItem = Type.Object(queueFields, { ...closed, title: 'PrescriptionQueueItem' });
export type QueueItem = Static<typeof QueueItem>;

export const Verification = Type.Object(
  {
    valid: Type.Boolean(),
    failure: Nullable(Type.String(), { description: 'The 422 code dispensing would give.' }),
    message: Type.String(),
    keyId: Type.String(),
    algorithm: Type.String(),
    keyRevokedAt: Nullable(EpochMs()),
  },
  closed,
);

export const PrescriptionView = Type.Object(
  {
    ...queueFields,
    status: Type.Union([Type.Literal('active'), Type.Literal('dispensed'), Type.Literal('expired')]),
    createdAt: EpochMs(),
    patientDateOfBirth: Nullable(Type.String()),
    verification: Verification,
    dispenses: Type.Array(
      Type.Object(
        { fillNumber: Type.Integer(), dispensedAt: EpochMs(), pharmacistId: Type.String() },
        closed,
      ),
    ),
  },
  { ...closed, title: 'Prescription' },
);
export type PrescriptionView = Static<typeof PrescriptionView>;

const QueueQuery = Type.Object(
  {
    status: Type.Literal('pending', { description: 'Undispensed (fills left) and unexpired.' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_QUEUE_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' })),
  },
  closed,
);
export const QueuePage = Type.Object({ items: Type.Array(QueueItem), nextCursor: NextCursor }, closed);

export const Dispensed = Type.Object(
  {
    prescriptionId: Type.String(),
    fillNumber: Type.Integer(),
    fillsRemaining: Type.Integer(),
    status: Type.Union([Type.Literal('active'), Type.Literal('dispensed')]),
    dispensedAt: EpochMs(),
  },
  closed,
);

const tags = ['prescriptions'];

/** Signed prescriptions: submit (doctor), queue, verify and dispense (pharmacist), evidence, a patient's list. */
export const prescriptionRoutes = {
  submitPrescription: route({
    method: 'POST',
    path: '/api/v1/prescriptions',
    tags,
    summary:
      'A doctor submits a prescription signed in their browser or CLI (422 when the signature or key is refused).',
    body: PrescriptionSubmission,
    ok: { 201: SignedPrescription },
    errors: [401, 403, 404, 409, 422],
  }),
  prescriptionQueue: route({
    method: 'GET',
    path: '/api/v1/prescriptions',
    tags,
    summary:
      'The pharmacist queue: undispensed, unexpired prescriptions, oldest first. Each patient shown is a `patient.listed` ledger entry.',
    query: QueueQuery,
    ok: { 200: QueuePage },
    errors: [401, 403],
    showsPatientIdentity: true,
    page: { items: 'items', next: 'nextCursor', param: 'cursor' },
  }),
  getPrescription: route({
    method: 'GET',
    path: '/api/v1/prescriptions/:id',
    tags,
    summary:
      'One prescription with its verification result: who signed, key id, algorithm, valid or why not.',
    params: IdParams,
    ok: { 200: PrescriptionView },
    errors: [401, 403, 404],
    showsPatientIdentity: true,
  }),
  dispensePrescription: route({
    method: 'POST',
    path: '/api/v1/prescriptions/:id/dispense',
    tags,
    summary:
      'Re-verifies and dispenses one fill, exactly once (409 when already taken, 422 when it does not verify).',
    params: IdParams,
    ok: { 200: Dispensed },
    errors: [401, 403, 404, 409, 422],
  }),
  prescriptionEvidence: route({
    method: 'GET',
    path: '/api/v1/prescriptions/:id/evidence',
    tags,
    summary:
      'Evidence to verify the signature offline (`medvault rx verify`): payload, signature, public key.',
    params: IdParams,
    ok: { 200: EvidenceSchema },
    errors: [401, 403, 404, 422],
  }),
  prescribingChecks: route({
    method: 'GET',
    path: '/api/v1/patients/:id/prescribing-checks',
    tags,
    summary:
      'Before signing: the allergy and duplicate-therapy warnings prescribing a catalogue medicine to the patient would raise (doctors who may prescribe for them). Logged as a `record.read`.',
    params: IdParams,
    query: PrescribingCheckQuery,
    ok: { 200: PrescribingCheck },
    errors: [401, 403, 404, 422],
  }),
  patientPrescriptions: route({
    method: 'GET',
    path: '/api/v1/patients/:id/prescriptions',
    tags,
    summary:
      "A patient's prescriptions, newest first (the patient; doctors whose access covers prescriptions).",
    params: IdParams,
    ok: { 200: Type.Object({ prescriptions: Type.Array(PrescriptionView) }, closed) },
    errors: [401, 403, 404],
    showsPatientIdentity: true,
  }),
} as const;
