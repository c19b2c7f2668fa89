import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrappedDekVersion } from '../../src/crypto/dek-wrap.js';
import { PREFIX_BYTES } from '../../src/crypto/envelope-format.js';
import { analyticsWorld, type AnalyticsWorld } from './vitals-fixtures.js';

/**
 * Distinctive values, chosen so that a chance match in random ciphertext, hex hashes or UUIDs is
 * out of the question: the decimal texts contain a '.', or are matched only between characters
 * that are not hex digits; binary encodings are 4 or 8 bytes (int32 BE/LE, float64 BE/LE),
 * never 2 (a 2-byte pattern turns up in random kilobytes by chance).
 */
const WEIGHT = 287.3; // stored fixed-point 2873
const GLUCOSE = 917;
const TEMPERATURE = 41.7; // fixed-point 417

const texts = ['287.3', '41.7'];
const wholes = [2873, 917, 417];

function binaryNeedles(): Buffer[] {
  const out: Buffer[] = [];
  for (const n of wholes) {
    const be = Buffer.alloc(4);
    be.writeInt32BE(n);
    const le = Buffer.alloc(4);
    le.writeInt32LE(n);
    out.push(be, le);
  }
  for (const x of [WEIGHT, TEMPERATURE, ...wholes]) {
    const be = Buffer.alloc(8);
    be.writeDoubleBE(x);
    const le = Buffer.alloc(8);
    le.writeDoubleLE(x);
    out.push(be, le);
  }
  return out;
}

const wholeRe = new RegExp(`(?<![0-9a-fA-F])(?:${wholes.join('|')})(?![0-9a-fA-F])`);

/**
 * A wrapped DEK names its KEK version as a big-endian uint32 right before its random nonce, so
 * version 1 followed by a nonce starting 0xa1 reads as 417 (00 00 01 a1): a chance match about one
 * DEK in 256 (it failed a full run once). The version is public structure, not a stored value:
 * it is checked to be the KEK version, and the bytes on either side are scanned apart.
 */
function wrappedDekPieces(wrapped: Buffer): Buffer[] {
  const at = PREFIX_BYTES;
  expect(wrapped.readUInt32BE(at)).toBe(wrappedDekVersion(wrapped));
  return [wrapped.subarray(0, at), wrapped.subarray(at + 4)];
}

function leaks(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    return wholes.includes(n) || n === WEIGHT || n === TEMPERATURE ? `number ${n}` : undefined;
  }
  if (typeof value === 'string') {
    if (texts.some((t) => value.includes(t)) || wholeRe.test(value)) return `text ${value.slice(0, 80)}`;
    return undefined;
  }
  if (Buffer.isBuffer(value)) {
    for (const needle of binaryNeedles())
      if (value.includes(needle)) return `bytes ${needle.toString('hex')}`;
    // Bytes read as text: only the needles with a '.', since a 3-digit run turns up in kilobytes of
    // random ciphertext by chance (about one run in a thousand).
    const text = value.toString('latin1');
    return texts.some((t) => text.includes(t)) ? 'text in bytes' : undefined;
  }
  return undefined;
}

describe('the database holds no vital in clear', () => {
  let w: AnalyticsWorld;
  beforeAll(async () => {
    w = await analyticsWorld('sqlite');
    const id = await w.patient('1948-11-23', 'current');
    await w.vitals(id, { weight: WEIGHT, glucose: GLUCOSE, temperature: TEMPERATURE });
    // A query too (its ledger entry); a count, whose released value cannot collide with the needles.
    await w.analytics.statistics.query(w.as(w.admin), {
      metric: 'weight',
      aggregate: 'count',
      cohort: { kind: 'all' },
      epsilon: 1,
    });
  });
  afterAll(() => w?.dispose());

  it('no column of any table holds a stored value in any plain encoding', async () => {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
      w.db,
    );
    const found: string[] = [];
    let cells = 0;
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(w.db);
      for (const row of rows.rows)
        for (const [column, value] of Object.entries(row)) {
          cells++;
          const pieces =
            name === 'data_keys' && column === 'wrapped' && Buffer.isBuffer(value)
              ? wrappedDekPieces(value)
              : [value];
          for (const leak of pieces.map(leaks))
            if (leak !== undefined) found.push(`${name}.${column}: ${leak}`);
        }
    }
    expect(cells).toBeGreaterThan(50);
    expect(found).toEqual([]);
    // One packed ciphertext for the record, and an index row per metric it holds (3 measured + age).
    expect(await w.db.selectFrom('analytics_vital_records').select('metrics').execute()).toEqual([
      { metrics: 'age,weight,temperature,glucose' },
    ]);
    expect(await w.db.selectFrom('analytics_vitals').select('metric').orderBy('metric').execute()).toEqual(
      ['age', 'glucose', 'temperature', 'weight'].map((metric) => ({ metric })),
    );
  });

  it('nor do the raw database files (text and float encodings)', async () => {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(w.db);
    const dir = w.t.dataDir;
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('medvault.db'))) {
      const bytes = fs.readFileSync(path.join(dir, file));
      for (const t of texts)
        expect(bytes.includes(Buffer.from(t, 'latin1')), `${file} holds ${t}`).toBe(false);
      for (const needle of binaryNeedles().filter((b) => b.length === 8))
        expect(bytes.includes(needle), `${file} holds ${needle.toString('hex')}`).toBe(false);
    }
  });

  it('the check itself sees a planted clear value', () => {
    expect(leaks(Buffer.concat([Buffer.alloc(10), binaryNeedles()[0]!]))).toBeDefined();
    expect(leaks('{"weight":287.3}')).toBeDefined();
    expect(leaks('glucose 917 mg')).toBeDefined();
    expect(leaks('a2873f')).toBeUndefined();
  });
});
