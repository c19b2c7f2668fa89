import { Type } from '@sinclair/typebox';
import { MAX_FULL_NAME_LENGTH } from '../vocabulary/patients.js';
import { MAX_MRN_INPUT } from '../vocabulary/mrn.js';
import { closed } from './common.js';
import { PatientRelationField } from './patients.js';
import { route } from './route.js';

/** An MRN as typed: eight digits, spaces or dashes between them allowed (the check digit is the server's). */
const MrnInput = Type.String({
  minLength: 1,
  maxLength: MAX_MRN_INPUT,
  pattern: '^[0-9 -]+$',
  description: 'Medical record number, eight digits ("4821 3307"); the last is a Luhn check digit.',
});
const NameInput = Type.String({ minLength: 1, maxLength: MAX_FULL_NAME_LENGTH });
const DateInput = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', minLength: 10, maxLength: 10 });

export const PatientSearchRequest = Type.Object(
  {
    mrn: Type.Optional(MrnInput),
    name: Type.Optional({
      ...NameInput,
      description: 'Words of the name; each word of 3+ letters matches as a prefix.',
    }),
    dateOfBirth: Type.Optional(DateInput),
  },
  { ...closed, title: 'PatientSearchRequest' },
);

export const BreakGlassLookupRequest = Type.Object(
  {
    mrn: Type.Optional(MrnInput),
    fullName: Type.Optional({ ...NameInput, description: 'Every word must be a whole word of the name.' }),
    dateOfBirth: Type.Optional(DateInput),
  },
  { ...closed, title: 'BreakGlassLookupRequest' },
);

const IdentityFields = {
  id: Type.String(),
  mrn: Type.String({ description: 'Eight digits.' }),
  fullName: Type.String(),
  dateOfBirth: Type.String({ description: 'YYYY-MM-DD.' }),
};

export const FoundPatient = Type.Object(
  { ...IdentityFields, relation: Type.Optional(PatientRelationField) },
  { ...closed, title: 'FoundPatient' },
);

export const FoundPatients = Type.Object(
  {
    patients: Type.Array(FoundPatient),
    more: Type.Boolean({ description: 'More patients matched than were shown: narrow the search.' }),
  },
  closed,
);

/** Name, date of birth and MRN only: enough to confirm who the patient is, never SSN or clinical data. */
export const PatientIdentity = Type.Object(IdentityFields, { ...closed, title: 'PatientIdentity' });

export const BreakGlassLookupAnswer = Type.Object({ patients: Type.Array(PatientIdentity) }, closed);

/**
 * Finding a patient (issue 20, point 1). POST, so names and dates of birth never appear in a URL
 * (server logs, browser history); neither changes anything but the ledger.
 */
export const patientSearchRoutes = {
  findPatients: route({
    method: 'POST',
    path: '/api/v1/patients/search',
    tags: ['patients'],
    summary:
      "Finds patients by MRN, name (word prefixes) and/or date of birth, all given must match, within the caller's reach: registrars every patient, doctors the patients they reach. At most 20; each shown is a `patient.listed` ledger entry.",
    body: PatientSearchRequest,
    ok: { 200: FoundPatients },
    errors: [401, 403],
    showsPatientIdentity: true,
  }),
  breakGlassLookup: route({
    method: 'POST',
    path: '/api/v1/break-glass/lookup',
    tags: ['sharing'],
    summary:
      'Before breaking the glass (doctors): finds ANY patient by MRN, or by full name AND date of birth; answers name, date of birth and MRN only. Every look-up is a `break_glass.lookup` ledger entry with the result count; rate-limited per doctor (MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT).',
    body: BreakGlassLookupRequest,
    ok: { 200: BreakGlassLookupAnswer },
    errors: [401, 403, 429],
    showsPatientIdentity: true,
  }),
} as const;
