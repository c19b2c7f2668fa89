import { createHash } from 'node:crypto';
import { downloadAttachment } from '../../../contract/client/index.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { patientLogin } from './register.js';

/** One line about a record body, for narration (the demo's own synthetic content). */
export function describeBody(view: { type: string; body: unknown }): string {
  const text = JSON.stringify(view.body);
  return text.length > 90 ? `${text.slice(0, 87)}…` : text;
}

/** Step 3: the patient logs in with SSN + PIN + password and reads the records and the image. */
export const patientReadsStep: Step = {
  title: 'Step 3 — The patient logs in with SSN + PIN + password and reads the records',
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatient();
    const recs = world.needRecords();
    const session = await patientLogin(world, p);
    p.token = session.token;
    world.say(
      `login with SSN ${p.ssn}, PIN ${p.pin} and the password: session for patient ${session.user.id}`,
    );
    const asPatient = world.as(p.token);
    const records = await asPatient.all('listRecords', { params: { id: p.id } });
    for (const item of records) {
      const view = await asPatient.call('getRecord', { params: { id: item.id } });
      world.say(
        `${view.type.padEnd(11)} "${view.title}" by ${view.authorName ?? '?'}: ${describeBody(view)}`,
      );
    }
    const ids = new Set(records.map((r) => r.id));
    for (const id of [recs.labId, recs.diagnosisId, recs.imagingId])
      if (!ids.has(id)) throw new Error(`record ${id} is missing from the patient's list`);
    const list = await asPatient.call('listAttachments', { params: { id: recs.imagingId } });
    if (list.attachments.length !== 1) throw new Error('the X-ray record should have one attachment');
    const file = await downloadAttachment(asPatient, { id: recs.imagingId, attachmentId: recs.attachmentId });
    const bytes = Buffer.from(file.bytes);
    const same = bytes.equals(recs.image);
    world.say(
      `X-ray image downloaded: ${bytes.length} bytes, ${file.contentType}, SHA-256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}… ${same ? 'identical to the upload' : 'DIFFERENT'}`,
    );
    if (!same) throw new Error('the downloaded image differs from the uploaded one');
    return `${records.length} records decrypted for their patient; the image byte-identical`;
  },
};
