/** The five roles of DESIGN.md. */
export const ROLES = ['admin', 'registrar', 'doctor', 'pharmacist', 'patient'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'registrar', 'doctor', 'pharmacist'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
export const isStaffRole = (value: string): value is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(value);
