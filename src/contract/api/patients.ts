import { Type, type Static } from '@sinclair/typebox';
import { MAX_PATIENT_PAGE } from '../vocabulary/paging.js';
import { MAX_FULL_NAME_LENGTH, PATIENT_RELATIONS, SMOKING_STATUSES } from '../vocabulary/patients.js';
import { DateField, SsnField } from './auth.js';
import { closed, EpochMs, IdField, IdParams, NextCursor, NoContent, Nullable } from './common.js';
import { route } from './route.js';

export const PatientRegistration = Type.Object(
  {
    ssn: SsnField,
    fullName: Type.String({ minLength: 1, maxLength: MAX_FULL_NAME_LENGTH }),
    dateOfBirth: DateField,
    smokingStatus: Type.Union(SMOKING_STATUSES.map((s) => Type.Literal(s))),
  },
  closed,
);
export type PatientRegistration = Static<typeof PatientRegistration>;

/** A fresh enrolment code: for the printed slip the registrar hands the patient. */
const EnrolmentCodeIssuedFields = {
  enrolmentCode: Type.String({
    description:
      'One-time, shown once: printed on the slip for the patient, who activates the account with it and chooses PIN and password.',
  }),
  expiresAt: EpochMs(
    'Epoch milliseconds after which the code no longer works (MEDVAULT_ENROLMENT_CODE_HOURS).',
  ),
};

export const PatientRegistered = Type.Object(
  {
    patientId: Type.String(),
    mrn: Type.String({ description: 'The medical record number, eight digits, for the slip.' }),
    ...EnrolmentCodeIssuedFields,
  },
  { ...closed, title: 'PatientRegistered' },
);
export type PatientRegistered = Static<typeof PatientRegistered>;

export const EnrolmentCodeIssued = Type.Object(EnrolmentCodeIssuedFields, closed);

export const PatientRelationField = Type.Union(PATIENT_RELATIONS.map((r) => Type.Literal(r)));

const PatientListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PATIENT_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  closed,
);

export const PatientSummary = Type.Object(
  {
    id: Type.String(),
    fullName: Type.String(),
    maskedSsn: Type.String({ description: '***-**-1234' }),
    relation: Type.Optional(PatientRelationField),
  },
  { ...closed, title: 'PatientSummary' },
);
export type PatientSummary = Static<typeof PatientSummary>;

export const PatientPage = Type.Object(
  { patients: Type.Array(PatientSummary), nextCursor: NextCursor },
  closed,
);

export const CareTeamMember = Type.Object(
  { doctorId: Type.String(), displayName: Nullable(Type.String()), assignedAt: EpochMs() },
  closed,
);

/** How the caller reached the chart (the patient banner; src/app/identity/chart-access.ts). */
export const ChartAccess = Type.Object(
  {
    relation: Type.Union(
      (['self', 'care_team', 'grant', 'break_glass', 'duty'] as const).map((r) => Type.Literal(r)),
    ),
    grantScope: Nullable(Type.Union([Type.Literal('read'), Type.Literal('read_write')])),
    recordTypes: Nullable(Type.Array(Type.String()), { description: 'For a grant limited to some types.' }),
  },
  { ...closed, title: 'ChartAccess' },
);
export type ChartAccess = Static<typeof ChartAccess>;

export const KnownAllergy = Type.Object({ substance: Type.String(), severity: Type.String() }, closed);

export const Demographics = Type.Object(
  {
    id: Type.String(),
    mrn: Type.String({ description: 'The medical record number, eight digits.' }),
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    maskedSsn: Type.String(),
    smokingStatus: Type.String(),
    registeredAt: EpochMs(),
    careTeam: Type.Array(CareTeamMember),
    access: Type.Optional(ChartAccess),
    allergies: Type.Optional(
      Nullable(Type.Array(KnownAllergy), {
        description:
          "The allergy records' substance and severity (the patient banner); null when the caller's access does not cover allergy records.",
      }),
    ),
  },
  { ...closed, title: 'Demographics' },
);
export type Demographics = Static<typeof Demographics>;

export const PinResetIssued = Type.Object(
  {
    resetToken: Type.String({ description: 'One-time, shown once; give it to the patient in person.' }),
    expiresAt: EpochMs('Epoch milliseconds (24 hours).'),
  },
  closed,
);

const CareTeamParams = Type.Object({ id: IdField, doctorId: IdField }, closed);
export const CareTeamRequest = Type.Object({ doctorId: IdField }, closed);
export const CareTeamAnswer = Type.Object(
  { patientId: Type.String(), doctorId: Type.String(), added: Type.Boolean() },
  closed,
);

/** Patient routes for registrars, and the reachable-patients list for doctors and patients. */
export const patientRoutes = {
  registerPatient: route({
    method: 'POST',
    path: '/api/v1/patients',
    tags: ['patients'],
    summary:
      'Registers a patient, identity only (registrar); answers the id and a one-time enrolment code for the slip. No credential is set or shown.',
    body: PatientRegistration,
    ok: { 201: PatientRegistered },
    errors: [401, 403, 409],
  }),
  listPatients: route({
    method: 'GET',
    path: '/api/v1/patients',
    tags: ['patients'],
    summary:
      'Registrars: every patient, paged. Doctors: patients they can reach, with the relation. Each patient shown is a `patient.listed` ledger entry.',
    query: PatientListQuery,
    ok: { 200: PatientPage },
    errors: [401, 403],
    showsPatientIdentity: true,
    page: { items: 'patients', next: 'nextCursor', param: 'cursor' },
  }),
  getPatient: route({
    method: 'GET',
    path: '/api/v1/patients/:id',
    tags: ['patients'],
    summary:
      "A patient's demographics (registrar; the patient; a doctor with access). Logged in the ledger (`patient.demographics_read`).",
    params: IdParams,
    ok: { 200: Demographics },
    errors: [401, 403, 404],
    showsPatientIdentity: true,
  }),
  issuePinReset: route({
    method: 'POST',
    path: '/api/v1/patients/:id/pin-reset',
    tags: ['patients'],
    summary: 'Registrar-assisted PIN reset: a one-time token valid 24 hours.',
    params: IdParams,
    ok: { 200: PinResetIssued },
    errors: [401, 403, 404],
  }),
  issueEnrolmentCode: route({
    method: 'POST',
    path: '/api/v1/patients/:id/enrolment-code',
    tags: ['patients'],
    summary:
      'A new enrolment code for a patient who has not activated yet (registrar); the earlier code stops working. 409 `already_enrolled` otherwise.',
    params: IdParams,
    ok: { 200: EnrolmentCodeIssued },
    errors: [401, 403, 404, 409],
  }),
  assignCareTeam: route({
    method: 'POST',
    path: '/api/v1/patients/:id/care-team',
    tags: ['patients', 'sharing'],
    summary: "Puts an active doctor on the patient's care team (registrar); 200 when already on it.",
    params: IdParams,
    body: CareTeamRequest,
    ok: { 200: CareTeamAnswer, 201: CareTeamAnswer },
    errors: [401, 403, 404],
  }),
  removeCareTeam: route({
    method: 'DELETE',
    path: '/api/v1/patients/:id/care-team/:doctorId',
    tags: ['patients', 'sharing'],
    summary: "Takes a doctor off the patient's care team (registrar).",
    params: CareTeamParams,
    ok: { 204: NoContent('Removed.') },
    errors: [401, 403, 404],
  }),
} as const;
