import {
  SECOND_FACTOR_POLICIES,
  type SecondFactorPolicies,
  type SecondFactorPolicy,
} from '../../contract/vocabulary/second-factors.js';
import type { DbOrTx } from '../../store/database.js';
import { putPolicyOverride, readPolicyOverrides } from '../../store/reenrolment-repository.js';
import type { AccessScope } from '../access/index.js';
import { isRole, ROLES, type Role } from '../actor.js';
import { payloadField, type Approvals, type ApprovalView } from '../approvals/index.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { conflict, invalidInput } from '../errors.js';

export interface FactorPolicyDeps extends LedgeredServiceDeps {
  readonly approvals: Approvals;
  /** The configured policy (`MEDVAULT_SECOND_FACTOR_POLICY`): the default of every role. */
  readonly defaults: SecondFactorPolicies;
}

/** Per role, the policy in force and where it comes from. */
export interface PolicyView {
  readonly roles: ReadonlyArray<{
    readonly role: Role;
    readonly policy: SecondFactorPolicy;
    readonly default: SecondFactorPolicy;
    /** Whether an approved request set it (else the configured default applies). */
    readonly changed: boolean;
  }>;
}

const isPolicy = (value: string): value is SecondFactorPolicy =>
  (SECOND_FACTOR_POLICIES as readonly string[]).includes(value);

/**
 * The hospital's second-factor policy per role (issue 14). The configuration gives the default;
 * an admin may ask to change one role's policy at run time (`mfa.policy`), and only a second
 * admin's approval changes it (stored, and ledgered as `mfa.policy_change`). The stored policy
 * overrides the default. It is read from the database on every use, so every server of a cluster
 * applies a change from the next sign-in on.
 */
export class FactorPolicy {
  constructor(private readonly deps: FactorPolicyDeps) {
    deps.approvals.handle('mfa.policy', {
      deciders: ['admin'],
      describe: (r) =>
        `Set the second-factor policy of ${payloadField(r, 'role')}s to "${payloadField(r, 'policy')}" (now "${payloadField(r, 'from')}").`,
      apply: async (tx, request, approver) => {
        const role = payloadField(request, 'role');
        const policy = payloadField(request, 'policy');
        if (!isRole(role) || !isPolicy(policy)) throw conflict('The request is malformed.');
        const from = (await this.all(tx))[role];
        await putPolicyOverride(tx, { role, policy, approvalId: request.id, now: deps.clock() });
        await deps.audit.append(tx, {
          actor: approver.actor,
          action: 'mfa.policy_change',
          target: { type: 'approval', id: request.id },
          patientId: null,
          outcome: 'success',
          details: { role, policy, from, requestedBy: request.requesterId },
        });
        return {};
      },
    });
  }

  /** Every role's policy now: the stored one where an approval changed it, else the default. */
  async all(db: DbOrTx = this.deps.db): Promise<SecondFactorPolicies> {
    const policy: Record<Role, SecondFactorPolicy> = { ...this.deps.defaults };
    for (const row of await readPolicyOverrides(db))
      if (isRole(row.role) && isPolicy(row.policy)) policy[row.role] = row.policy;
    return policy;
  }

  /** One role's policy now. */
  async of(role: Role, db: DbOrTx = this.deps.db): Promise<SecondFactorPolicy> {
    return (await this.all(db))[role];
  }

  /** The policy in force and the configured defaults, for admins. */
  async view(scope: AccessScope): Promise<PolicyView> {
    scope.require('users.manage');
    const stored = new Set((await readPolicyOverrides(this.deps.db)).map((r) => r.role));
    const policy = await this.all();
    return {
      roles: ROLES.map((role) => ({
        role,
        policy: policy[role],
        default: this.deps.defaults[role],
        changed: stored.has(role),
      })),
    };
  }

  /**
   * An admin asks to set `role`'s policy; another admin must approve.
   * @throws AppError forbidden, invalid_input (the policy is already that), approval_pending.
   */
  async request(scope: AccessScope, role: Role, policy: SecondFactorPolicy): Promise<ApprovalView> {
    scope.require('users.manage');
    const from = await this.of(role);
    if (from === policy) throw invalidInput(`The policy of ${role}s is already "${policy}".`);
    return this.deps.approvals.requestAlone(scope, {
      kind: 'mfa.policy',
      subjectId: `mfa-policy:${role}`,
      payload: { role, policy, from },
    });
  }
}
