/** What a patient's registration records about smoking (a cohort dimension of the statistics). */
export const SMOKING_STATUSES = ['never', 'former', 'current', 'unknown'] as const;
export type SmokingStatus = (typeof SMOKING_STATUSES)[number];

export const isSmokingStatus = (value: string): value is SmokingStatus =>
  (SMOKING_STATUSES as readonly string[]).includes(value);
