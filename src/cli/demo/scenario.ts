import type { DemoWorld } from './world.js';

/**
 * One narrated step of the walkthrough. `run` performs it over HTTP and returns the line
 * printed after PASS; it throws when the system did not do what the step shows (a FAIL).
 */
export interface Step {
  readonly title: string;
  /** Routes ("METHOD /api/v1/…") the step needs; absent from the server's OpenAPI: SKIPPED. */
  readonly requires?: readonly string[];
  run(world: DemoWorld): Promise<string>;
}

/** What an attack found: defended (PASS) or not (FAIL), and the evidence in one line. */
export interface AttackResult {
  readonly defended: boolean;
  readonly detail: string;
}

/**
 * One attack, performed for real against the running system (SQL on its database, HTTP
 * requests). It must leave the system as it found it (restore what it changed), so the next
 * attack starts clean. Throwing means the attack could not even be carried out: a FAIL.
 */
export interface Attack {
  /** Short id for `--attack` selection and tests. */
  readonly id: string;
  readonly title: string;
  readonly requires?: readonly string[];
  run(world: DemoWorld): Promise<AttackResult>;
}

/** Builds an AttackResult from a list of checks: defended only when every check held. */
export function verdictOf(checks: ReadonlyArray<readonly [held: boolean, what: string]>): AttackResult {
  const broken = checks.filter(([held]) => !held).map(([, what]) => what);
  return broken.length === 0
    ? { defended: true, detail: checks.map(([, what]) => what).join('; ') }
    : { defended: false, detail: `NOT defended: ${broken.join('; ')}` };
}
