import type { AppContext } from '../../app/context.js';
import { seedDemoHospital, type DemoHospital } from '../../synthetic/demo-hospital.js';

/** What the demo hook of `serve` did: seeded (with what), skipped (accounts exist) or not asked. */
export type DemoOutcome = { seeded: DemoHospital } | { skipped: true } | undefined;

/**
 * Seeds the demo hospital when asked (`--demo` or MEDVAULT_DEMO=1) and the database has no
 * account. Runs before the server listens, so nobody sees it half-seeded.
 */
export async function seedDemoIfAsked(app: AppContext, asked: boolean): Promise<DemoOutcome> {
  if (!asked) return undefined;
  const seeded = await seedDemoHospital(app, { dataDir: app.config.dataDir });
  return seeded === undefined ? { skipped: true } : { seeded };
}

const table = (rows: string[][]): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
  );
};

/** The banner and the credentials of a freshly seeded demo hospital (or a one-line note). */
export function demoLines(outcome: DemoOutcome, url: string): string[] {
  if (outcome === undefined) return [];
  if ('skipped' in outcome) return ['Demo hospital: not seeded (the database already has accounts).'];
  const { staff, patients, records } = outcome.seeded;
  const rule = '='.repeat(88);
  return [
    '',
    rule,
    '  DEMO HOSPITAL SEEDED: synthetic people with PUBLISHED passwords and PINs.',
    '  For trying MedVault out only. Never put real patients in this database.',
    rule,
    `${staff.length} staff, ${patients.length} patients, ${records} records, ${outcome.seeded.prescriptions} signed prescriptions awaiting the pharmacist, the medicines catalogue. Open ${url}`,
    `${outcome.seeded.cohortPatients} outpatients (registered, not enrolled) with a vitals visit each, in Dr Kavya Shetty's care: the statistics cohort.`,
    '',
    'Staff sign in with username + password + their private key file (mode 0600):',
    ...table([
      ['role', 'username', 'password', 'key file'],
      ...staff.map((s) => [s.role, s.username, s.password, s.keyFile]),
    ]),
    '',
    'Patients sign in with SSN + PIN + password (recovery codes are shown this once):',
    ...table([
      ['patient', 'name', 'SSN', 'PIN', 'password', 'recovery code'],
      ...patients.map((p) => [p.label, p.fullName, p.ssn, p.pin, p.password, p.recoveryCode]),
    ]),
    rule,
    '',
  ];
}
