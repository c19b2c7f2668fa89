import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('privacy-budget settings', () => {
  it('default to epsilon 5 for the hospital per 30 days, not split between analysts', () => {
    const config = loadConfig({});
    expect([config.dpEpsilonBudgetMilli, config.dpBudgetDays, config.dpAnalystShareMilli]).toEqual([
      5000, 30, 1000,
    ]);
  });

  it('take an analyst share as a fraction of the hospital budget (thousandths, exact)', () => {
    expect(loadConfig({ MEDVAULT_DP_ANALYST_SHARE: '0.25' }).dpAnalystShareMilli).toBe(250);
    expect(loadConfig({ MEDVAULT_DP_ANALYST_SHARE: '1' }).dpAnalystShareMilli).toBe(1000);
    // 0.002 of epsilon 5 is 0.01, the smallest query: allowed; 0.001 of 5 is not.
    expect(loadConfig({ MEDVAULT_DP_ANALYST_SHARE: '0.002' }).dpAnalystShareMilli).toBe(2);
    expect(() => loadConfig({ MEDVAULT_DP_ANALYST_SHARE: '0.001' })).toThrow('MEDVAULT_DP_ANALYST_SHARE');
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
    ['MEDVAULT_DP_ANALYST_SHARE', '0'],
    ['MEDVAULT_DP_ANALYST_SHARE', '1.5'],
    ['MEDVAULT_DP_ANALYST_SHARE', '0.0005'],
    ['MEDVAULT_DP_ANALYST_SHARE', '25%'],
  ] as const)('refuse %s=%s naming the setting', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
