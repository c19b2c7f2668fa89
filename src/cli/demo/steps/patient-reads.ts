import { createHash } from 'node:crypto';
import { AttachmentList, RecordPage, RecordView } from '../api-schemas.js';
import { patientLogin } from '../http-client.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';

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
    const session = await patientLogin(world.api, p);
    p.token = session.token;
    world.say(
      `login with SSN ${p.ssn}, PIN ${p.pin} and the password: session for patient ${session.user.id}`,
    );
    const page = await world.api.expect(RecordPage, 200, 'GET', `/api/v1/patients/${p.id}/records`, {
      token: p.token,
    });
    for (const item of page.records) {
      const view = await world.api.expect(RecordView, 200, 'GET', `/api/v1/records/${item.id}`, {
        token: p.token,
      });
      world.say(
        `${view.type.padEnd(11)} "${view.title}" by ${view.authorName ?? '?'}: ${describeBody(view)}`,
      );
    }
    const ids = new Set(page.records.map((r) => r.id));
    for (const id of [recs.labId, recs.diagnosisId, recs.imagingId])
      if (!ids.has(id)) throw new Error(`record ${id} is missing from the patient's list`);
    const list = await world.api.expect(
      AttachmentList,
      200,
      'GET',
      `/api/v1/records/${recs.imagingId}/attachments`,
      {
        token: p.token,
      },
    );
    if (list.attachments.length !== 1) throw new Error('the X-ray record should have one attachment');
    const file = await world.api.bytes(
      `/api/v1/records/${recs.imagingId}/attachments/${recs.attachmentId}`,
      p.token,
    );
    if (file.status !== 200) throw new Error(`image download answered ${file.status}`);
    const same = file.bytes.equals(recs.image);
    world.say(
      `X-ray image downloaded: ${file.bytes.length} bytes, ${file.contentType}, SHA-256 ${createHash('sha256').update(file.bytes).digest('hex').slice(0, 16)}… ${same ? 'identical to the upload' : 'DIFFERENT'}`,
    );
    if (!same) throw new Error('the downloaded image differs from the uploaded one');
    return `${page.records.length} records decrypted for their patient; the image byte-identical`;
  },
};
