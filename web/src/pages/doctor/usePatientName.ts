import { useCallback } from 'react';
import { getPatient } from '../../api/patients.js';
import { useResource } from '../../useResource.js';

/**
 * The patient's name and masked SSN (GET /patients/:id: a doctor with access may read them).
 * Falls back to nothing while loading or when refused; the pages still work by id.
 */
export function usePatientName(patientId: string): {
  readonly name: string | undefined;
  readonly maskedSsn: string | undefined;
} {
  const load = useCallback(() => getPatient(patientId), [patientId]);
  const { resource } = useResource(load);
  if (resource.status !== 'ready') return { name: undefined, maskedSsn: undefined };
  return { name: resource.data.fullName || undefined, maskedSsn: resource.data.maskedSsn };
}
