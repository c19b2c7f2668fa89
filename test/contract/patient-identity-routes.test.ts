import { describe, expect, it } from 'vitest';
import { API_ROUTES, ROUTE_NAMES } from '../../src/contract/api/routes.js';
import { identityPaths, patientsShown } from '../support/patient-identity.js';

/**
 * Issue 15, finding 6: every answer that shows who a patient is must be a ledger entry about
 * them. The contract marks such routes (`showsPatientIdentity`), and the authorization matrix
 * (test/authz/matrix.test.ts) checks on every dialect that each marked route's answers leave an
 * entry per patient shown. This test keeps the mark honest: a route whose success answer carries
 * a name, birth date or SSN digits without the mark fails here, so a new route cannot forget.
 */
describe('routes that show patient identity', () => {
  const carrying = ROUTE_NAMES.filter((name) =>
    Object.values(API_ROUTES[name].ok).some(
      (schema) => schema !== undefined && identityPaths(schema).length > 0,
    ),
  );
  const marked = ROUTE_NAMES.filter(
    (name) => (API_ROUTES[name] as { showsPatientIdentity?: true }).showsPatientIdentity === true,
  );

  it('are exactly the routes marked showsPatientIdentity in the contract', () => {
    expect(carrying.sort()).toEqual(marked.sort());
  });

  it('are today the patient list, search, break-glass look-up and demographics, the pharmacist queue and the prescription views', () => {
    expect(marked.sort()).toEqual(
      [
        'getPatient',
        'getPrescription',
        'listPatients',
        'patientPrescriptions',
        'prescriptionQueue',
        'findPatients',
        'breakGlassLookup',
      ].sort(),
    );
  });

  it('finds the patients an answer shows (the matrix checks each one is ledgered)', () => {
    expect(
      patientsShown({
        patients: [
          { id: 'a', fullName: 'A', maskedSsn: '***-**-1' },
          { id: 'b', fullName: 'B', maskedSsn: '***-**-2' },
        ],
      }),
    ).toEqual(new Set(['a', 'b']));
    expect(
      patientsShown({
        items: [{ id: 'rx', patient: { id: 'p', name: 'P' }, prescriber: { id: 'd', name: 'D' } }],
      }),
    ).toEqual(new Set(['p']));
    expect(patientsShown({ hits: [{ recordId: 'r', patientId: 'p', title: 't' }] })).toEqual(new Set());
  });
});
