import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('privacy-budget settings', () => {
  it('default to epsilon 5 per 30 days', () => {
    const config = loadConfig({});
    expect([config.dpEpsilonBudgetMilli, config.dpBudgetDays]).toEqual([5000, 30]);
  });

  it('take a decimal epsilon (thousandths, exact) and whole days', () => {
    const config = loadConfig({ MEDVAULT_DP_EPSILON_BUDGET: '2.5', MEDVAULT_DP_BUDGET_DAYS: '7' });
    expect([config.dpEpsilonBudgetMilli, config.dpBudgetDays]).toEqual([2500, 7]);
    expect(loadConfig({ MEDVAULT_DP_EPSILON_BUDGET: '0.01' }).dpEpsilonBudgetMilli).toBe(10);
  });

  it.each([
    ['MEDVAULT_DP_EPSILON_BUDGET', '0.0001'],
    ['MEDVAULT_DP_EPSILON_BUDGET', '0.001'],
    ['MEDVAULT_DP_EPSILON_BUDGET', '-1'],
    ['MEDVAULT_DP_EPSILON_BUDGET', '1e3'],
    ['MEDVAULT_DP_EPSILON_BUDGET', '1001'],
    ['MEDVAULT_DP_BUDGET_DAYS', '0'],
    ['MEDVAULT_DP_BUDGET_DAYS', '1.5'],
    ['MEDVAULT_DP_BUDGET_DAYS', '3651'],
  ] as const)('refuse %s=%s naming the setting', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
