import fs from 'node:fs';
import path from 'node:path';
import { ContractMismatch, downloadAttachment, NetworkError } from '../../../contract/client/index.js';
import { describeSeen, seen, settle, type Seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { readStored } from './record-rows.js';

/**
 * Where the X-ray's ciphertext is, as a thief with access would reach it: the file in the data
 * folder on SQLite; on PostgreSQL the first stored piece in `attachment_chunks` (raw SQL).
 */
async function storedImage(
  world: DemoWorld,
  attachmentId: string,
): Promise<{ read(): Promise<Buffer>; write(bytes: Buffer): Promise<void> }> {
  const db = world.app.store.db;
  if (world.app.store.dialect === 'postgres') {
    const where = db
      .selectFrom('attachment_chunks')
      .where('attachment_id', '=', attachmentId)
      .where('idx', '=', 0);
    return {
      read: async () => Buffer.from((await where.select('data').executeTakeFirstOrThrow()).data),
      write: async (bytes) => {
        await db
          .updateTable('attachment_chunks')
          .set({ data: bytes })
          .where('attachment_id', '=', attachmentId)
          .where('idx', '=', 0)
          .execute();
      },
    };
  }
  const file = path.join(world.dataDir, 'attachments', `${attachmentId}.mves`);
  return {
    read: async () => fs.readFileSync(file),
    write: async (bytes) => fs.writeFileSync(file, bytes),
  };
}

/**
 * One bit of a record's stored ciphertext is flipped (SQL), and one byte of the encrypted
 * X-ray file on disk: reading either must fail its integrity check (422), never return
 * altered content. Both are restored afterwards.
 */
export const tamperedCiphertext: Attack = {
  id: 'tampered-ciphertext',
  title: 'Tampered ciphertext: flip a bit in a stored record and in the encrypted X-ray file',
  async run(world: DemoWorld): Promise<AttackResult> {
    const p = world.needPatient();
    const r = world.needRecords();
    const db = world.app.store.db;
    const original = await readStored(db, r.diagnosisId);
    const flipped = Buffer.from(original.body_ct);
    const at = Math.floor(flipped.length / 2);
    flipped[at] = (flipped[at] ?? 0) ^ 0x01;
    await db.updateTable('records').set({ body_ct: flipped }).where('id', '=', r.diagnosisId).execute();
    const asPatient = world.as(p.token);
    let record: Seen;
    try {
      record = seen(await asPatient.answer('getRecord', { params: { id: r.diagnosisId } }));
    } finally {
      await db
        .updateTable('records')
        .set({ body_ct: original.body_ct })
        .where('id', '=', r.diagnosisId)
        .execute();
    }
    world.say(
      `UPDATE records SET body_ct = <bit ${at * 8} flipped> → GET the diagnosis: ${describeSeen(record)}`,
    );
    const stored = await storedImage(world, r.attachmentId);
    const bytes = await stored.read();
    const bad = Buffer.from(bytes);
    const fat = Math.floor(bad.length / 2);
    bad[fat] = (bad[fat] ?? 0) ^ 0x80;
    await stored.write(bad);
    let image: Seen | undefined;
    let aborted = false;
    try {
      image = await settle(() =>
        downloadAttachment(asPatient, { id: r.imagingId, attachmentId: r.attachmentId }),
      );
    } catch (err) {
      // A failure after the first chunk aborts the connection (or cuts the file short): also refused.
      if (!(err instanceof NetworkError || err instanceof ContractMismatch)) throw err;
      aborted = true;
    } finally {
      await stored.write(bytes);
    }
    const imageRefused = aborted || (image !== undefined && image.status !== 200);
    world.say(
      `one byte of the encrypted image file changed → download: ${aborted ? 'connection aborted' : String(image?.status)}`,
    );
    const restored = seen(await asPatient.answer('getRecord', { params: { id: r.diagnosisId } }));
    return verdictOf([
      [
        record.status === 422 && !JSON.stringify(record.body ?? '').includes(r.diagnosisText),
        `altered record refused (${describeSeen(record)})`,
      ],
      [imageRefused, 'altered image refused'],
      [restored.status === 200, 'restored record reads again'],
    ]);
  },
};
