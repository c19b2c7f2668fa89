import type { Patient } from '@medplum/fhirtypes';
import type { PatientDemographics } from '../identity/index.js';
import { MEDVAULT_NS } from './codes.js';

/** The patient: name as text (we store one full name, not its parts), date of birth, MedVault id. */
export function patientResource(p: PatientDemographics): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ system: `${MEDVAULT_NS}/patient-id`, value: p.id }],
    active: true,
    name: [{ use: 'official', text: p.fullName }],
    birthDate: p.dateOfBirth,
    generalPractitioner: p.careTeam.map((d) => ({
      reference: `Practitioner/${d.doctorId}`,
      ...(d.displayName === null ? {} : { display: d.displayName }),
    })),
  };
}
