import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes, type JsonValue } from '../../src/contract/canonical-json.js';

/** A double from its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

/** Force a value past the type system, to test what callers reach through casts and parsing. */
function loose(value: unknown): JsonValue {
  return value as JsonValue;
}

describe('RFC 8785 canonical JSON', () => {
  it('serialises the §3.2.2 sample to the exact UTF-8 bytes of §3.2.4', () => {
    // Written with escapes as in the RFC, then parsed, so the input is the RFC's and not an
    // editor's rendering of it.
    const sample = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const bytes = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`;
    const value = JSON.parse(sample) as JsonValue;
    expect(Buffer.from(canonicalJsonBytes(value)).toString('hex')).toBe(bytes.replace(/\s+/g, ''));
    expect(canonicalJson(value)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts member names by UTF-16 code units (§3.2.3)', () => {
    const value = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, JsonValue>;
    const out = canonicalJson(value);
    // (Object.keys cannot show the order: JavaScript lists the integer-like name "1" first.)
    expect(out.match(/:"[^"]+"/g)?.map((m) => m.slice(2, -1))).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    // U+1F600 (a surrogate pair starting 0xD83D) sorts before U+FB33 by code units, though
    // after it by code points: the one place the two orders differ.
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the Appendix B number %s as %s', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it('writes 1e21, 1e-7 and -0 as ECMAScript does', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 1e20, 0.1])).toBe('[1e+21,1e-7,0,100000000000000000000,0.1]');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN nested in an object', { a: [NaN] }],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalJson(loose(value))).toThrow(TypeError);
  });

  it.each([
    ['undefined', undefined],
    ['undefined as a member', { a: undefined }],
    ['undefined in an array', [1, undefined]],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a symbol', Symbol('x')],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a typed array', new Uint8Array(1)],
    ['a class instance', new (class Point {})()],
    ['an array with a hole', new Array(3)],
    ['an object with a symbol key', { [Symbol('k')]: 1 }],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a lone surrogate in a member name', { 'x\ud83d': 1 }],
  ])('refuses %s with a TypeError', (_, value) => {
    expect(() => canonicalJson(loose(value))).toThrow(TypeError);
  });

  it('refuses a cycle, but not the same object twice side by side', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(loose(cycle))).toThrow(TypeError);
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('keeps a member named "__proto__" as JSON.parse makes it', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":2}}') as JsonValue)).toBe(
      '{"__proto__":{"x":2},"b":1}',
    );
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, JsonValue>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
  });

  it('escapes control characters as JSON.stringify does', () => {
    expect(canonicalJson('\u0000\b\t\n\f\r\u001f\u007f"\\/')).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f\\"\\\\/"',
    );
  });

  it('does not depend on member insertion order, at any depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = reverseKeys(value as JsonValue);
        expect(canonicalJson(reversed)).toBe(canonicalJson(value as JsonValue));
      }),
    );
  });

  it('is idempotent and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value as JsonValue);
        const parsed = JSON.parse(once) as JsonValue;
        expect(canonicalJson(parsed)).toBe(once);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('writes every well-formed string exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(canonicalJson(s)).toBe(JSON.stringify(s));
      }),
    );
  });
});

function reverseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own members, so a "__proto__" name stays a member, as JSON.parse makes it.
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reverseKeys(value[k] as JsonValue)]),
  );
}
