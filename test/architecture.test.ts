import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

/** Which src/ folders each layer may import (besides itself). Arrows point down only. */
const ALLOWED: Record<string, string[]> = {
  cli: ['app', 'http', 'synthetic', 'config', 'crypto', 'contract'],
  http: ['app', 'config', 'contract'],
  // The synthetic hospital drives the services as an adapter would (seed, demo start).
  synthetic: ['app', 'config', 'crypto', 'store', 'contract'],
  app: ['crypto', 'store', 'config', 'contract'],
  crypto: ['contract'],
  store: ['contract'],
  config: ['contract'],
  // What server, web and CLI share imports nothing of ours.
  contract: [],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SRC = path.join(ROOT, 'src');
const files = sourceFiles(SRC);
const importsOf = (file: string): string[] =>
  [...fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map((m) =>
    path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')),
  );
const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!;

describe('architecture', () => {
  it('every src file sits in a known layer', () => {
    for (const f of files) expect(Object.keys(ALLOWED), f).toContain(layerOf(f));
  });

  it('imports point down only', () => {
    const violations: string[] = [];
    for (const f of files) {
      for (const target of importsOf(f)) {
        const from = layerOf(f);
        const to = layerOf(target);
        if (to !== from && !ALLOWED[from]!.includes(to))
          violations.push(`${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no circular imports', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('code outside src/app reaches a context only through its public entry (index.ts)', () => {
    const CONTEXTS = ['identity', 'sharing', 'records', 'prescriptions', 'analytics', 'audit'];
    for (const c of CONTEXTS) expect(fs.existsSync(path.join(SRC, 'app', c, 'index.ts')), c).toBe(true);
    const violations: string[] = [];
    for (const f of files.filter((f) => layerOf(f) !== 'app'))
      for (const target of importsOf(f)) {
        const [layer, context, ...rest] = path.relative(SRC, target).split(path.sep);
        if (layer === 'app' && CONTEXTS.includes(context!) && rest.join('/') !== 'index.ts')
          violations.push(`${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`);
      }
    expect(violations).toEqual([]);
  });

  it('the web imports nothing of ours but the contract', () => {
    const WEB = path.join(ROOT, 'web/src');
    const webFiles = fs
      .readdirSync(WEB, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => path.join(WEB, f));
    const violations: string[] = [];
    for (const f of webFiles)
      for (const target of importsOf(f)) {
        const inWeb = !path.relative(WEB, target).startsWith('..');
        const inContract = !path.relative(path.join(SRC, 'contract'), target).startsWith('..');
        if (!inWeb && !inContract)
          violations.push(`${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`);
      }
    expect(violations).toEqual([]);
  });

  it('keeps Math.random out of product code', () => {
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/Math\.random/);
  });
});
