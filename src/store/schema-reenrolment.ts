/** Re-enrolment notices and the run-time MFA policy (migration 020). Times are epoch milliseconds. */
export interface ReenrolmentSchema {
  second_factor_policy: SecondFactorPolicyTable;
  account_notices: AccountNoticesTable;
}

/** A role's second-factor policy as an approved `mfa.policy` request set it. */
export interface SecondFactorPolicyTable {
  role: string;
  /** 'off', 'optional' or 'required'. */
  policy: string;
  /** The approved request that set it. */
  approval_id: string;
  changed_at: number;
}

/** Something a person is told at their next sign-in, until dismissed. */
export interface AccountNoticesTable {
  id: string;
  user_id: string;
  /** 'reenrolled'. */
  kind: string;
  occurred_at: number;
  /** User ids: who asked, who approved. */
  requested_by: string;
  approved_by: string;
  dismissed_at: number | null;
}
