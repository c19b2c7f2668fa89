import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * The contract runs in the browser as well as in Node 20: it imports nothing but TypeBox and
 * itself, and the client uses fetch, never a Node module or Buffer.
 */
const CONTRACT = path.join(ROOT, 'src/contract');
const files = fs
  .readdirSync(CONTRACT, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(CONTRACT, f));

describe('the contract is portable', () => {
  it('imports only @sinclair/typebox and its own files', () => {
    const outside = files.flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)]
        .map((m) => m[1]!)
        .filter(
          (spec) =>
            !spec.startsWith('.') && spec !== '@sinclair/typebox' && spec !== '@sinclair/typebox/value',
        )
        .map((spec) => `${path.relative(ROOT, f)} → ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it('the client uses no Buffer and no Node global', () => {
    const client = files.filter((f) => f.includes(`${path.sep}client${path.sep}`));
    expect(client.length).toBeGreaterThan(0);
    for (const f of client)
      expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(/);
  });
});
