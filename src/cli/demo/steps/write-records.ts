import { createHash } from 'node:crypto';
import { uploadAttachment } from '../../../contract/client/index.js';
import type { Step } from '../scenario.js';
import { syntheticXray } from '../synthetic-xray.js';
import type { DemoWorld } from '../world.js';
import { registerPatient } from './register.js';

const DIAGNOSIS = { icd10: 'J18.9', text: 'Community-acquired pneumonia, left lower lobe' };

/** Writes one record as `token`'s doctor; answers its id. */
export async function writeRecord(
  world: DemoWorld,
  token: string,
  patientId: string,
  record: { type: string; title: string; body: Record<string, unknown>; keywords?: string[] },
): Promise<string> {
  const made = await world.as(token).call('createRecord', { params: { id: patientId }, body: record });
  return made.id;
}

/**
 * Step 2: the care-team doctor writes a blood test, a diagnosis and an X-ray with its image.
 * Each record gets its own random data key; the image is encrypted in authenticated chunks.
 * A second patient of the same doctor is registered too: the attacks need one.
 */
export const writeRecordsStep: Step = {
  title: 'Step 2 — The care-team doctor writes a blood test, a diagnosis and an X-ray with an image',
  async run(world: DemoWorld): Promise<string> {
    const doctor = world.member('doctor');
    const a = world.needPatient();
    const labId = await writeRecord(world, doctor.token, a.id, {
      type: 'lab_result',
      title: 'Complete blood count',
      body: {
        panel: 'Complete blood count',
        collectedAt: '2026-03-02',
        analytes: [
          {
            name: 'Haemoglobin',
            value: 11.4,
            unit: 'g/dL',
            referenceLow: 12,
            referenceHigh: 15.5,
            flag: 'low',
          },
          {
            name: 'White cells',
            value: 14.2,
            unit: '10^9/L',
            referenceLow: 4,
            referenceHigh: 11,
            flag: 'high',
          },
        ],
      },
    });
    world.say(`blood test      ${labId}  (Haemoglobin 11.4 g/dL low, White cells 14.2 high)`);
    const diagnosisId = await writeRecord(world, doctor.token, a.id, {
      type: 'diagnosis',
      title: 'Pneumonia',
      body: { ...DIAGNOSIS, status: 'active', onset: '2026-03-01' },
      keywords: ['pneumonia'],
    });
    world.say(`diagnosis       ${diagnosisId}  (${DIAGNOSIS.icd10} ${DIAGNOSIS.text})`);
    const imagingId = await writeRecord(world, doctor.token, a.id, {
      type: 'imaging',
      title: 'Chest X-ray',
      body: {
        modality: 'X-ray',
        bodyPart: 'Chest',
        findings: 'Consolidation of the left lower lobe.',
        impression: 'Consistent with pneumonia.',
      },
    });
    const image = syntheticXray();
    const attachment = await uploadAttachment(
      world.as(doctor.token),
      imagingId,
      new Blob([new Uint8Array(image)], { type: 'image/png' }),
      'chest-xray.png',
    );
    const sha = createHash('sha256').update(image).digest('hex');
    if (attachment.sha256 !== sha)
      throw new Error('the server reported another SHA-256 for the uploaded image');
    world.say(
      `X-ray           ${imagingId}  + chest-xray.png, ${image.length} bytes, SHA-256 ${sha.slice(0, 16)}…`,
    );
    world.records = {
      labId,
      diagnosisId,
      imagingId,
      attachmentId: attachment.id,
      image,
      diagnosisText: DIAGNOSIS.text,
      icd10: DIAGNOSIS.icd10,
    };
    const b = await registerPatient(world, 'Benedikt Osei-Laurent', '1971-02-11');
    const bRecord = await writeRecord(world, doctor.token, b.id, {
      type: 'diagnosis',
      title: 'Seasonal allergic rhinitis',
      body: { icd10: 'J30.2', text: 'Seasonal allergic rhinitis', status: 'active' },
    });
    world.patientB = { ...b, recordId: bRecord };
    world.say(
      `(a second patient of the same doctor, Benedikt Osei-Laurent, with one diagnosis — the attacks use him)`,
    );
    return '3 records written, each under its own data key; image stored as authenticated encrypted chunks';
  },
};
