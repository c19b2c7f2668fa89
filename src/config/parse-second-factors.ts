import { ROLES, type Role } from '../contract/vocabulary/roles.js';
import {
  SECOND_FACTOR_POLICIES,
  type SecondFactorPolicies,
  type SecondFactorPolicy,
} from '../contract/vocabulary/second-factors.js';
import { fail } from './settings.js';

const isPolicy = (v: string): v is SecondFactorPolicy =>
  (SECOND_FACTOR_POLICIES as readonly string[]).includes(v);
const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/**
 * MEDVAULT_SECOND_FACTOR_POLICY: one policy for every role (`required`), or `role=policy` pairs
 * (`admin=required,doctor=required,patient=optional`); roles not named are `optional`, a role
 * named twice or an unknown role or policy is refused.
 */
export function parseSecondFactorPolicy(raw: string | undefined): SecondFactorPolicies {
  const out: Record<Role, SecondFactorPolicy> = Object.fromEntries(
    ROLES.map((r) => [r, 'optional' as SecondFactorPolicy]),
  ) as Record<Role, SecondFactorPolicy>;
  if (raw === undefined) return out;
  const text = raw.trim().toLowerCase();
  if (isPolicy(text)) {
    for (const r of ROLES) out[r] = text;
    return out;
  }
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const [name, policy, ...rest] = part.split('=').map((s) => s.trim());
    if (name === undefined || policy === undefined || rest.length > 0) fail('MEDVAULT_SECOND_FACTOR_POLICY');
    if (!isRole(name) || !isPolicy(policy) || seen.has(name)) fail('MEDVAULT_SECOND_FACTOR_POLICY');
    seen.add(name);
    out[name] = policy;
  }
  return out;
}
