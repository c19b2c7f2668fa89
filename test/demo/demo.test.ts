import { describe, expect, it } from 'vitest';
import { ATTACKS, STEPS } from '../../src/cli/demo/catalog.js';
import { exitCodeOf, runDemo } from '../../src/cli/demo/runner.js';
import { PG_URL } from '../support/stores.js';
import { runCli } from '../support/cli.js';

/**
 * Acceptance: the whole demo, in-process, against its own real server — every step heading is
 * printed, every step passes and every attack is defended, on SQLite and (when
 * MEDVAULT_TEST_DATABASE_URL is set) on PostgreSQL in a schema the demo creates and drops.
 */
const TARGETS: Array<[string, string | undefined]> = [
  ['sqlite', undefined],
  ...(PG_URL ? [['postgres', PG_URL] as [string, string]] : []),
];

describe.each(TARGETS)('medvault demo on %s', (_name, databaseUrl) => {
  it('prints every step, passes every step and defends against every attack', async () => {
    let out = '';
    const report = await runDemo({ databaseUrl, write: (t) => (out += t) });
    for (const step of STEPS) expect(out).toContain(step.title);
    for (const attack of ATTACKS) expect(out).toContain(`Attack: ${attack.title}`);
    const bad = report.outcomes.filter((o) => o.verdict !== 'PASS');
    expect(bad, out).toEqual([]);
    expect(report.outcomes).toHaveLength(STEPS.length + ATTACKS.length);
    expect(exitCodeOf(report)).toBe(0);
    expect(out).toContain(
      `steps: ${STEPS.length} passed, 0 failed, 0 skipped; attacks: ${ATTACKS.length} defended, 0 FAILED, 0 skipped`,
    );
  }, 300_000);
});

describe('medvault demo command', () => {
  it('refuses an unknown attack name with exit 2 before starting anything', async () => {
    const res = await runCli(['demo', '--attack', 'telepathy']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown attack telepathy/);
  });

  it('refuses several servers without PostgreSQL, and a server count out of range, with exit 2', async () => {
    const alone = await runCli(['demo', '--servers', '2']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(
      'medvault: several servers share one PostgreSQL database: give --database-url too\n',
    );
    const many = await runCli(['demo', '--servers', '9', '--database-url', 'postgres://u@127.0.0.1:1/x']);
    expect(many.code).toBe(2);
    expect(many.stderr).toBe('medvault: --servers expects a whole number between 1 and 4\n');
  });
});
