import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../../src/contract/vocabulary/roles.js';
import {
  SECOND_FACTOR_POLICIES,
  type SecondFactorPolicy,
} from '../../../../src/contract/vocabulary/second-factors.js';
import { askBudgetRaise, askFactorPolicy, getFactorPolicies } from '../../api/approvals.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import { ROLE_LABELS } from '../../nav.js';

const POLICY_WORDS: Readonly<Record<SecondFactorPolicy, string>> = {
  off: 'Off: password (and key) only',
  optional: 'Optional: asked when the person added one',
  required: 'Required: everyone adds one at their next sign-in',
};

/**
 * What an administrator may ask a second administrator for from this page: a role's
 * second-factor policy, and a raise of this window's privacy budget. The request then waits in
 * the list below for another admin; nothing changes before.
 */
export function AskApprovalCard(props: { readonly onAsked: (what: string) => Promise<void> }) {
  const policies = useResource(getFactorPolicies);
  const action = useAction<'policy' | 'budget'>();
  const [role, setRole] = useState<Role>('patient');
  const [policy, setPolicy] = useState<SecondFactorPolicy>('required');
  const [epsilon, setEpsilon] = useState('1');
  const [epsilonError, setEpsilonError] = useState<string>();

  function askPolicy(event: FormEvent): void {
    event.preventDefault();
    void action.run('policy', async () => {
      await askFactorPolicy(role, policy);
      await props.onAsked(`Asked: second factors for ${ROLE_LABELS[role].toLowerCase()}s "${policy}".`);
    });
  }

  function askBudget(event: FormEvent): void {
    event.preventDefault();
    const value = Number(epsilon);
    if (!Number.isFinite(value) || value <= 0 || value > 100) {
      setEpsilonError('Enter an epsilon above 0 and at most 100, for example 0.5.');
      return;
    }
    setEpsilonError(undefined);
    void action.run('budget', async () => {
      await askBudgetRaise(value);
      await props.onAsked(`Asked: raise this window's privacy budget by epsilon ${value}.`);
    });
  }

  return (
    <section className="card" aria-labelledby="ask-title">
      <h2 id="ask-title">Ask a second administrator</h2>
      <FormAlert title="That did not work." message={action.error} />
      <h3>Second-factor policy</h3>
      <LoadState resource={policies.resource} what="the policy" onRetry={() => void policies.reload()} />
      {policies.resource.status === 'ready' && (
        <ul className="plain-list" aria-label="Second-factor policy in force">
          {policies.resource.data.roles.map((r) => (
            <li key={r.role}>
              {ROLE_LABELS[r.role]}: <strong>{r.policy}</strong>
              {r.changed ? ` (configured default: ${r.default})` : ' (the configured default)'}
            </li>
          ))}
        </ul>
      )}
      <form className="stack" onSubmit={askPolicy} noValidate>
        <SelectField
          id="ask-policy-role"
          label="Role"
          value={role}
          onChange={(v) => setRole(v as Role)}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        />
        <SelectField
          id="ask-policy-value"
          label="Second factor"
          value={policy}
          onChange={(v) => setPolicy(v as SecondFactorPolicy)}
          options={SECOND_FACTOR_POLICIES.map((p) => ({ value: p, label: POLICY_WORDS[p] }))}
        />
        <button type="submit" className="button" disabled={action.running !== undefined}>
          Ask to change the policy
        </button>
      </form>
      <h3>Privacy budget</h3>
      <form className="stack" onSubmit={askBudget} noValidate>
        <TextField
          id="ask-budget-epsilon"
          label="Epsilon to add this window"
          inputMode="decimal"
          value={epsilon}
          onChange={setEpsilon}
          error={epsilonError}
          hint="Every statistics query spends some; a raise lasts until the window resets."
        />
        <button type="submit" className="button" disabled={action.running !== undefined}>
          Ask to raise the budget
        </button>
      </form>
    </section>
  );
}
