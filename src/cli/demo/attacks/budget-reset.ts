import { randomBytes } from 'node:crypto';
import { enrolWithInvite } from '../../staff-enrol.js';
import { staffLogin } from '../../staff-signer.js';
import { seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { ANALYTICS_ROUTES, heartRateQuery } from '../steps/statistics.js';
import { demoPassword } from '../steps/staff.js';
import type { DemoWorld } from '../world.js';

/** The largest epsilon one query may spend (the contract's MAX_EPSILON). */
const MAX_QUERY_EPSILON = 2;
/** Enough queries to spend any default budget (the differencing attack has usually spent it). */
const MAX_QUERIES = 50;

/**
 * Resetting the privacy budget with a new admin (issue 15, finding 2): the budget used to be
 * kept per admin account, and admins create admins. The attacker spends what is left of the
 * budget, mints a fresh admin account (since issue 14 with a second admin's approval), logs in
 * as it and asks again. Defended when the fresh
 * admin is refused (429, until the window resets) because the budget is the hospital's.
 */
export const budgetReset: Attack = {
  id: 'budget-reset',
  title: 'Reset the privacy budget by minting a new admin',
  requires: [...ANALYTICS_ROUTES, 'POST /api/v1/admin/users'],
  async run(world: DemoWorld): Promise<AttackResult> {
    const admin = world.member('admin');
    const asAdmin = world.as(admin.token);
    let spent = 0;
    for (let i = 0; i < MAX_QUERIES; i++) {
      const left = (await asAdmin.call('privacyBudget')).remainingEpsilon;
      if (left < 0.01) break;
      const epsilon = Math.min(MAX_QUERY_EPSILON, Math.floor(left * 1000) / 1000);
      const answer = await asAdmin.answer('analyticsQuery', { body: heartRateQuery('count', epsilon) });
      if (!answer.ok) break;
      spent += epsilon;
    }
    const own = seen(await asAdmin.answer('analyticsQuery', { body: heartRateQuery('count', 0.01) }));
    world.say(
      `${admin.username} spends what was left (ε ${spent.toFixed(2)}), then asks again → ${own.status} ${own.code}`,
    );

    const username = `mint.${randomBytes(3).toString('hex')}`;
    const password = demoPassword();
    const made = await asAdmin.call('createStaffUser', {
      body: { role: 'admin', username, displayName: 'Minted Admin' },
    });
    // A new admin needs a second admin's approval now (issue 14); even granted, the budget holds.
    const enrolled = await enrolWithInvite(world.api, made.invite.code, password);
    await world.as(world.member('admin2').token).call('approveRequest', { params: { id: made.approvalId } });
    const session = await staffLogin(world.api, username, password, enrolled.privateKeyPem);
    const asFresh = world.as(session.token);
    try {
      const budget = await asFresh.call('privacyBudget');
      world.say(
        `${admin.username} creates admin ${username}, who logs in and sees ε ${budget.remainingEpsilon} of ${budget.totalEpsilon} left (resets ${new Date(budget.resetsAt).toISOString()})`,
      );
      const answer = await asFresh.answer('analyticsQuery', { body: heartRateQuery('count', 0.01) });
      const refused = seen(answer);
      const message = answer.ok ? '' : answer.error.message;
      world.say(`${username} asks for a count at ε = 0.01 → ${refused.status} ${refused.code}: ${message}`);
      const waitTillReset = Math.ceil((budget.resetsAt - Date.now()) / 1000);
      return verdictOf([
        [own.status === 429, 'the spent budget refuses its spender'],
        [budget.remainingEpsilon < 0.01, 'the new admin sees the hospital’s spent budget, not a fresh one'],
        [
          refused.status === 429 && refused.code === 'privacy_budget_exhausted',
          'the new admin is refused (429 privacy_budget_exhausted)',
        ],
        [
          refused.retryAfter !== undefined && Math.abs(refused.retryAfter - waitTillReset) <= 5,
          'Retry-After is when the window resets',
        ],
      ]);
    } finally {
      // Leave the system as found: the minted account is disabled (its sessions end).
      await asAdmin.call('disableStaffUser', { params: { id: made.user.id } });
    }
  },
};
