import type { PatientDetails } from '../../api/patients.js';
import { typeLabel } from '../records/record-types.js';

/** Whole years from an ISO date of birth to today (local), or undefined for a bad date. */
export function ageOn(dateOfBirth: string, today: Date = new Date()): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age -= 1;
  return age >= 0 ? age : undefined;
}

/** "Care team", "Shared with you: read and write, lab results and vitals", "Emergency access (break-glass)". */
export function accessText(access: NonNullable<PatientDetails['access']>): string {
  switch (access.relation) {
    case 'care_team':
      return 'Care team';
    case 'break_glass':
      return 'Emergency access (break-glass): every record you open is reviewed';
    case 'self':
      return 'Your own record';
    case 'duty':
      return 'Registration desk';
    case 'grant': {
      const scope = access.grantScope === 'read_write' ? 'read and write' : 'read only';
      const types =
        access.recordTypes === null ? 'all records' : access.recordTypes.map((t) => typeLabel(t)).join(', ');
      return `Shared with you by the patient (${scope}; ${types})`;
    }
  }
}

/** "Penicillin (moderate)", or what to say when there are none or they are not shared. */
export function allergyText(allergies: PatientDetails['allergies']): string {
  if (allergies === undefined || allergies === null) return 'Allergy records are not shared with you';
  if (allergies.length === 0) return 'No known allergies';
  return allergies.map((a) => `${a.substance} (${a.severity})`).join(', ');
}
