import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import type { Bundle } from '@medplum/fhirtypes';
import type { AccessScope } from '../src/app/access/index.js';
import type { AppContext } from '../src/app/context.js';
import type { NewRecord } from '../src/app/records/index.js';
import { benchTargets, openBenchWorld } from './bench-world.js';
import { time, printTable } from './harness.js';

/**
 * Issue 19's benchmark, through the services a request reaches (the same access scope, the same
 * ledger entries): `Patient/<id>/$everything` for a patient with 50 records and one X-ray, and a
 * search that pages through 10,000 Observations — each against the same data read through our own
 * JSON API's services in the same run (the baseline: what a JSON client does to see the same
 * values — list pages, then each record, then the image). Best of three, alternating.
 */

const BASE = 'http://bench.invalid/fhir/R4';

const RECORD_MIX: readonly NewRecord[] = [
  {
    type: 'lab_result',
    title: 'Panel',
    body: {
      panel: 'Basic metabolic panel',
      analytes: [
        { name: 'Sodium', value: 139, unit: 'mmol/L' },
        { name: 'Potassium', value: 4.1, unit: 'mmol/L' },
      ],
    },
  },
  { type: 'vitals', title: 'Vitals', body: { heartRate: 72, systolic: 128, diastolic: 82, weight: 71.5 } },
  { type: 'diagnosis', title: 'Pneumonia', body: { icd10: 'J18.9', text: 'Pneumonia', status: 'active' } },
  { type: 'allergy', title: 'Latex', body: { substance: 'Latex', severity: 'mild' } },
  {
    type: 'vaccination',
    title: 'Flu',
    body: { vaccine: 'Influenza, quadrivalent (seasonal)', administeredAt: '2029-10-01' },
  },
  { type: 'clinical_note', title: 'Note', body: { text: 'Feeling better. Review in two weeks.' } },
];
const XRAY: NewRecord = {
  type: 'imaging',
  title: 'Chest X-ray',
  body: { modality: 'X-ray', bodyPart: 'Chest', findings: 'Clear.', impression: 'Normal chest.' },
};
/** A 512 KiB "PNG": the signature, then noise (the size of a small real radiograph). */
const XRAY_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  randomBytes(512 * 1024 - 8),
]);

/** What a JSON client does to read all of a patient's records (of `type`): list pages, then each. */
async function jsonReadAll(app: AppContext, scope: AccessScope, patientId: string, type?: string) {
  let cursor: string | undefined;
  let n = 0;
  do {
    const page = await app.records.records.list(scope, patientId, { type, cursor, limit: 100 });
    for (const r of page.records) {
      const record = await app.records.records.get(scope, r.id);
      n++;
      if (record.type === 'imaging')
        for (const image of await app.records.attachments.list(scope, record.id))
          await app.records.attachments.readWhole(scope, image.id, record.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return n;
}

/** A FHIR search followed through its `next` links to the end. */
async function fhirPageAll(app: AppContext, scope: AccessScope, patientId: string): Promise<number> {
  let cursor: string | undefined;
  let n = 0;
  do {
    const page: Bundle = await app.fhir.api.search(
      scope,
      'Observation',
      { patient: patientId, _count: 100, ...(cursor === undefined ? {} : { _cursor: cursor }) },
      BASE,
    );
    n += page.entry?.length ?? 0;
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    cursor = next === undefined ? undefined : (new URL(next).searchParams.get('_cursor') ?? undefined);
  } while (cursor !== undefined);
  return n;
}

const best = async (op: () => Promise<unknown>, rounds = 3): Promise<number> => {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) min = Math.min(min, (await time(op)).seconds);
  return min;
};

export async function benchFhir(options: { quick: boolean }): Promise<void> {
  const observations = options.quick ? 1_000 : 10_000;
  // Every JSON read appends its ledger entry (a commit each): at full size one pass is already
  // 10,000 commits, minutes on a busy PostgreSQL, and long enough to time on its own.
  const pagingRounds = options.quick ? 3 : 1;
  const rows: Array<Array<string | number>> = [];
  const seeded: string[] = [];
  for (const target of await benchTargets('bench_fhir')) {
    const w = await openBenchWorld(target, 'fhir');
    try {
      // $everything: 50 records of every kind and one X-ray.
      const p = await w.newPatient();
      const records = Array.from({ length: 49 }, (_, i) => RECORD_MIX[i % RECORD_MIX.length]!);
      await w.app.records.records.createMany(w.doctor, p, records);
      const xray = await w.app.records.records.create(w.doctor, p, XRAY);
      await w.app.records.attachments.upload(w.doctor, xray.id, async () => ({
        fileName: 'chest.png',
        contentType: 'image/png',
        content: Readable.from([XRAY_BYTES]),
      }));
      const jsonAll = await best(() => jsonReadAll(w.app, w.doctor, p));
      const fhirAll = await best(() => w.app.fhir.api.everything(w.doctor, p, BASE));
      rows.push([
        target.name,
        '50 records + X-ray: JSON list + get each + image (baseline)',
        jsonAll * 1000,
        '1.00x',
      ]);
      rows.push([
        target.name,
        '50 records + X-ray: FHIR $everything',
        fhirAll * 1000,
        `${(fhirAll / jsonAll).toFixed(2)}x`,
      ]);

      // Paging: 10,000 Observations (one heart rate per vitals record), 100 a page.
      const q = await w.newPatient();
      const seeding = await time(async () => {
        for (let done = 0; done < observations; done += 500)
          await w.app.records.records.createMany(
            w.doctor,
            q,
            Array.from({ length: Math.min(500, observations - done) }, (_, i) => ({
              type: 'vitals',
              title: 'Pulse',
              body: { heartRate: 50 + ((done + i) % 60) },
            })),
          );
      });
      seeded.push(`${target.name} ${seeding.seconds.toFixed(1)} s`);
      const jsonPages = await best(() => jsonReadAll(w.app, w.doctor, q, 'vitals'), pagingRounds);
      let seen = 0;
      const fhirPages = await best(async () => {
        seen = await fhirPageAll(w.app, w.doctor, q);
      }, pagingRounds);
      if (seen !== observations) throw new Error(`paged ${seen} of ${observations} Observations`);
      rows.push([
        target.name,
        `${observations} Observations: JSON list pages + get each (baseline)`,
        jsonPages * 1000,
        '1.00x',
      ]);
      rows.push([
        target.name,
        `${observations} Observations: FHIR search, _count=100, next links`,
        fhirPages * 1000,
        `${(fhirPages / jsonPages).toFixed(2)}x`,
      ]);
    } finally {
      await w.close();
      await target.dispose();
    }
    // Each database's figures as soon as they are in (a full run takes a while).
    printTable(
      `FHIR R4 against the JSON API over the same data (ms; $everything best of 3, paging best of ${pagingRounds}; ratio = time / baseline, lower is faster)`,
      ['database', 'read', 'ms', 'vs JSON'],
      rows.splice(0),
    );
  }
  process.stdout.write(
    `(${observations} vitals records created, not timed above: ${seeded.join(', ')}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})\n`,
  );
}
