/** What a patient's registration records about smoking (a cohort dimension of the statistics). */
export const SMOKING_STATUSES = ['never', 'former', 'current', 'unknown'] as const;
export type SmokingStatus = (typeof SMOKING_STATUSES)[number];

export const isSmokingStatus = (value: string): value is SmokingStatus =>
  (SMOKING_STATUSES as readonly string[]).includes(value);

/**
 * How a caller reaches a patient: the patient themself, the care team, a grant, or an open
 * break-glass. Lists of reachable patients say which.
 */
export const PATIENT_RELATIONS = ['self', 'care_team', 'grant', 'break_glass'] as const;
export type PatientRelation = (typeof PATIENT_RELATIONS)[number];

/** Longest full name a registration takes, in characters (the form shows it; the schema enforces it). */
export const MAX_FULL_NAME_LENGTH = 200;
