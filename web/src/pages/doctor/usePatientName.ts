import { patientQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';

/**
 * The patient's name and masked SSN (GET /patients/:id: a doctor with access may read them),
 * asked once per session and shared by every page about this patient. Falls back to nothing
 * while loading or when refused; the pages still work by id.
 */
export function usePatientName(patientId: string): {
  readonly name: string | undefined;
  readonly maskedSsn: string | undefined;
} {
  const { resource } = useQuery(patientQuery(patientId));
  if (resource.status !== 'ready') return { name: undefined, maskedSsn: undefined };
  return { name: resource.data.fullName || undefined, maskedSsn: resource.data.maskedSsn };
}
