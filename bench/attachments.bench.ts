import { insertBenchStaff } from './bench-staff.js';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { Role } from '../src/app/actor.js';
import { AccessScope } from '../src/app/access/index.js';
import { openApp, type AppContext } from '../src/app/context.js';
import { loadConfig } from '../src/config/config.js';
import { printTable, time } from './harness.js';

const MB = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** `total` bytes of a PNG-looking stream: one random 64 KB block, repeated (the same cost for both). */
function source(total: number): Readable {
  const block = randomBytes(64 * 1024);
  PNG_SIGNATURE.copy(block);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

function countingSink(): { sink: Writable; bytes: () => number } {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  return { sink, bytes: () => bytes };
}

const insertUser = (app: AppContext, role: Exclude<Role, 'patient'>): Promise<AccessScope> =>
  insertBenchStaff(app.store.db, role);

/** A doctor on the care team of a new patient, and an imaging record of that patient. */
async function setUp(app: AppContext): Promise<{ doctor: AccessScope; record: string }> {
  const registrar = await insertUser(app, 'registrar');
  const doctor = await insertUser(app, 'doctor');
  const { patientId } = await app.identity.patients.register(registrar, {
    ssn: '123-45-6789',
    fullName: 'Bench Patient',
    dateOfBirth: '1970-01-01',
    smokingStatus: 'never',
  });
  await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
  const record = randomUUID();
  await app.store.db
    .insertInto('records')
    .values({
      id: record,
      patient_id: patientId,
      type: 'imaging',
      author_id: doctor.userId,
      created_at: Date.now(),
      title_ct: randomBytes(32),
      body_ct: randomBytes(64),
    })
    .execute();
  return { doctor, record };
}

/** Upload then download through the Attachments service (access, DEK, file, fsync, ledger). */
async function serviceRoundTrip(
  app: AppContext,
  doctor: AccessScope,
  record: string,
  total: number,
): Promise<{ up: number; down: number }> {
  const upload = await time(() =>
    app.records.attachments.upload(doctor, record, async () => ({
      fileName: 'bench.png',
      contentType: 'image/png',
      content: source(total),
    })),
  );
  const { sink, bytes } = countingSink();
  const download = await time(async () => {
    const { content } = await app.records.attachments.open(doctor, record, upload.value.id);
    await pipeline(content, sink);
  });
  if (bytes() !== total) throw new Error(`attachment bench lost bytes: ${bytes()} of ${total}`);
  return { up: upload.seconds, down: download.seconds };
}

/** Raw AES-256-GCM over the same bytes: one cipher into one decipher, no chunking, no I/O. */
async function rawRoundTrip(total: number): Promise<number> {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  cipher.once('end', () => decipher.setAuthTag(cipher.getAuthTag()));
  const { sink, bytes } = countingSink();
  const { seconds } = await time(() => pipeline(source(total), cipher, decipher, sink));
  if (bytes() !== total) throw new Error(`raw bench lost bytes: ${bytes()} of ${total}`);
  return seconds;
}

/**
 * Attachment streaming throughput: a `sizeMb` image uploaded (inspect, hash, encrypt in 64 KiB
 * chunks, write, fsync, commit with ledger entry) and downloaded (verify, decrypt) through the
 * Attachments service on SQLite, against raw AES-256-GCM encrypt+decrypt of the same bytes in
 * the same run. Best of `rounds`, interleaved.
 */
export async function benchAttachments(opts: { sizeMb: number; rounds: number }): Promise<void> {
  const total = opts.sizeMb * MB;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-attachments-'));
  const app = await openApp(
    loadConfig({
      MEDVAULT_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MEDVAULT_ATTACHMENT_LIMIT_MB: String(opts.sizeMb),
    }),
  );
  try {
    const { doctor, record } = await setUp(app);
    await serviceRoundTrip(app, doctor, record, 4 * MB); // warm-up
    await rawRoundTrip(4 * MB);
    let up = Infinity;
    let down = Infinity;
    let service = Infinity;
    let raw = Infinity;
    for (let round = 0; round < opts.rounds; round++) {
      if (round % 2 === 1) raw = Math.min(raw, await rawRoundTrip(total));
      const s = await serviceRoundTrip(app, doctor, record, total);
      up = Math.min(up, s.up);
      down = Math.min(down, s.down);
      service = Math.min(service, s.up + s.down);
      if (round % 2 === 0) raw = Math.min(raw, await rawRoundTrip(total));
    }
    const mbps = (seconds: number): number => opts.sizeMb / seconds;
    printTable(
      `Attachments through the service (SQLite, files under the data folder) vs raw AES-256-GCM, ${opts.sizeMb} MB`,
      ['path', 'MB/s', 'ratio to raw'],
      [
        ['upload (inspect+hash+encrypt+write+fsync)', mbps(up), '—'],
        ['download (verify+decrypt)', mbps(down), '—'],
        ['service round trip', mbps(service), (raw / service).toFixed(2)],
        ['raw GCM encrypt+decrypt', mbps(raw), '1.00'],
      ],
    );
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchAttachments({ sizeMb: 64, rounds: 3 });
}
