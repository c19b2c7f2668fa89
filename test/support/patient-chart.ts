import type { AccessScope } from '../../src/app/access/index.js';
import type { AppContext } from '../../src/app/context.js';
import type { SeedReport } from '../../src/synthetic/seed-hospital.js';

export interface ChartEntry {
  readonly view: unknown;
  /** Each attachment's decrypted bytes, base64. */
  readonly files: string[];
}

/** A seeded patient signed in (SSN, PIN, password): the scope their requests run in. */
export async function patientScope(
  app: AppContext,
  person: SeedReport['patients'][number]['person'],
): Promise<AccessScope> {
  const { token } = await app.identity.patientLogin.login({
    ssn: person.ssn,
    pin: person.pin,
    password: person.password,
  });
  return (await app.identity.sessions.openScope(app.store.db, token))!;
}

/**
 * A chart as `scope` reads it: every record and each of its attachments, decrypted
 * (prescriptions, listed among the records, are read through their own service and left out).
 * Comparing two of these proves a copy — a backup restored, a store moved — reads back equal.
 */
export async function readChart(
  app: AppContext,
  scope: AccessScope,
  patientId: string,
): Promise<ChartEntry[]> {
  const out: ChartEntry[] = [];
  for (const item of (await app.records.records.list(scope, patientId, { limit: 100 })).records) {
    if (item.type === 'prescription') continue;
    const files = [];
    for (const att of await app.records.attachments.list(scope, item.id)) {
      const download = await app.records.attachments.open(scope, item.id, att.id);
      const chunks: Buffer[] = [];
      for await (const c of download.content) chunks.push(c as Buffer);
      files.push(Buffer.concat(chunks).toString('base64'));
    }
    out.push({ view: await app.records.records.get(scope, item.id), files });
  }
  return out;
}

/** What a seeded patient reads of their own chart after signing in. */
export async function readOwnChart(
  app: AppContext,
  { person, patientId }: SeedReport['patients'][number],
): Promise<ChartEntry[]> {
  return readChart(app, await patientScope(app, person), patientId);
}
