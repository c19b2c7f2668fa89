import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, isAuditAction } from '../../src/app/audit/actions.js';
import { encodeEntry, entryObject, eventColumns, type AuditEvent } from '../../src/app/audit/entry.js';
import { ROLES } from '../../src/app/actor.js';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import { constantTimeEqual, HashMac } from '../../src/crypto/hash-mac.js';
import { leafHash, MerkleAccumulator, nodeHash } from '../../src/crypto/merkle.js';
import { HexMerkleAccumulator, leafHashHexOfText, nodeHashHex } from '../../src/crypto/merkle-hex.js';

const id = fc.stringMatching(/^[\x21-\x7e]{1,20}$/);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const eventArb: fc.Arbitrary<AuditEvent> = fc.record({
  actor: fc.option(fc.record({ userId: id, role: fc.constantFrom(...ROLES) }), { nil: null }),
  action: fc.constantFrom(...AUDIT_ACTIONS),
  target: fc.option(fc.record({ type: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/), id }), { nil: null }),
  patientId: fc.option(id, { nil: null }),
  outcome: fc.constantFrom(...AUDIT_OUTCOMES),
  details: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), json, { maxKeys: 4 }) as fc.Arbitrary<
    Record<string, never>
  >,
});

describe('entry encoding', () => {
  it('the fast encoder writes exactly the RFC 8785 JSON of the entry, for any valid event', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (e, seq, time, prev) => {
          const row = { seq, time, ...eventColumns(e) };
          const prevHex = Buffer.from(prev).toString('hex');
          expect(encodeEntry(row, prevHex)).toBe(canonicalJson(entryObject(row, prevHex)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('different columns never give the same bytes (moving text between columns changes them)', () => {
    const base = { seq: 1, time: 2, ...eventColumns({ ...sample(), details: { a: 'x' } }) };
    const variants = [
      { ...base, actor_id: `${base.actor_id}"`, actor_role: base.actor_role },
      { ...base, target_id: 'r-1","type":"record' },
      { ...base, details: '{"a":"x"},"outcome":"success"' },
      { ...base, actor_id: null, actor_role: 'doctor' },
    ];
    const bytes = encodeEntry(base, '00'.repeat(32));
    for (const v of variants) expect(encodeEntry(v, '00'.repeat(32))).not.toBe(bytes);
  });

  it('keeps a closed action set: the runtime list and the type agree, and others are refused', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(AUDIT_ACTIONS).toContain('keys.rotate');
    expect(isAuditAction('record.read')).toBe(true);
    expect(isAuditAction('record.peek')).toBe(false);
    expect(isAuditAction('login.staff')).toBe(false);
    expect(() => eventColumns({ ...sample(), action: 'record.peek' as never })).toThrow(
      /unknown audit action/,
    );
  });
});

describe('hex hashing for the ledger hot paths', () => {
  it('leaf and node hashes equal merkle.ts', () => {
    for (const text of ['', 'a', '{"seq":1}', 'é☃𝄞', 'x'.repeat(5000)]) {
      expect(leafHashHexOfText(text)).toBe(leafHash(Buffer.from(text, 'utf8')).toString('hex'));
    }
    const l = randomBytes(32);
    const r = randomBytes(32);
    expect(nodeHashHex(l.toString('hex'), r.toString('hex'))).toBe(nodeHash(l, r).toString('hex'));
    expect(() => nodeHashHex('zz'.repeat(32), r.toString('hex'))).toThrow(TypeError);
    expect(() => nodeHashHex(l.toString('hex').slice(2), r.toString('hex'))).toThrow(TypeError);
  });

  it('the hex accumulator reports the same completed nodes and roots as MerkleAccumulator, n = 1..130', () => {
    const a = new MerkleAccumulator();
    const h = new HexMerkleAccumulator();
    expect(h.root()).toBe(a.root().toString('hex'));
    for (let i = 0; i < 130; i++) {
      const leaf = leafHash(Buffer.from(`entry ${i}`));
      const expected = a.push(leaf).map((b) => b.toString('hex'));
      expect([...h.push(leaf.toString('hex'))]).toEqual(expected);
      expect(h.root()).toBe(a.root().toString('hex'));
    }
    expect(() => h.push('not a hash')).toThrow(TypeError);
    // A malformed leaf of the right length is caught when it is folded, or by root().
    const lone = new HexMerkleAccumulator();
    lone.push('zz'.repeat(32));
    expect(() => lone.root()).toThrow(TypeError);
    expect(() => lone.push('ab'.repeat(32))).toThrow(TypeError);
  });

  it('HashMac equals createHmac for random keys and hashes, and rejects malformed input', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(32);
      const mac = new HashMac(key);
      const msg = randomBytes(32).toString('hex');
      const expected = createHmac('sha256', key).update(Buffer.from(msg, 'hex')).digest('hex');
      expect(mac.macHex(msg)).toBe(expected);
      expect(mac.verifyHex(msg, expected)).toBe(true);
      expect(
        mac.verifyHex(
          msg,
          expected.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        ),
      ).toBe(false);
    }
    const mac = new HashMac(randomBytes(32));
    const good = randomBytes(32).toString('hex');
    const tag = mac.macHex(good);
    // A malformed message never reuses the previous message's bytes.
    expect(mac.verifyHex('zz'.repeat(32), tag)).toBe(false);
    expect(mac.verifyHex(good.slice(0, 62), tag)).toBe(false);
    expect(() => mac.macHex('zz'.repeat(32))).toThrow(TypeError);
    expect(() => new HashMac(randomBytes(16))).toThrow(TypeError);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
  });
});

function sample(): AuditEvent {
  return {
    actor: { userId: 'u-1', role: 'doctor' },
    action: 'record.read',
    target: { type: 'record', id: 'r-1' },
    patientId: 'p-1',
    outcome: 'success',
    details: {},
  };
}
