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

/**
 * Role and relationship logic: what only src/app/access may contain. Comments are ignored (they
 * may describe a rule); vocabulary checks such as `isRole(x)` are not logic and pass.
 */
const ROLE_LOGIC: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'a role comparison', re: /(?:\.|\b)role\s*[!=]==?|[!=]==?\s*(?:[\w$]+\.)*role\b/ },
  { what: 'a switch on a role', re: /switch\s*\(\s*(?:[\w$]+\.)*role\s*\)/ },
  { what: 'a permission check', re: /\b(?:roleMay|requirePermission|ROLE_PERMISSIONS|patientAccess)\b/ },
  {
    what: 'a relationship query',
    re: /\b(?:doctorPatientLinks|doctorPatientCandidates)\b|from\s+'[^']*\/access-repository\.js'/,
  },
];
const ACCESS_MODULE = path.join(SRC, 'app', 'access');
/** The store file that holds the relationship queries (it defines them; only the access module uses them). */
const RELATIONSHIP_QUERIES = path.join(SRC, 'store', 'access-repository.ts');

/**
 * Files outside the access module allowed to read a role, each with its reason. Keep it tiny: a
 * new entry needs a reason that is not an access decision.
 */
const ROLE_LOGIC_EXCEPTIONS: Readonly<Record<string, string>> = {
  'src/synthetic/seed-plan.ts':
    'the synthetic hospital decides which invented person plays which part (usernames, titles); ' +
    'it reaches data through access scopes like any caller',
  'src/synthetic/seed-hospital.ts':
    'the synthetic hospital hands registrars the registrations and doctors the records it plans; ' +
    'the services it calls decide access through the scopes it acts in',
};

const withoutComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** What role or relationship logic a source holds, one description per offending line. */
function roleLogicIn(source: string): string[] {
  const found: string[] = [];
  for (const [i, line] of withoutComments(source).split('\n').entries())
    for (const rule of ROLE_LOGIC)
      if (rule.re.test(line)) found.push(`${rule.what} (line ${i + 1}: ${line.trim()})`);
  return found;
}

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
    const CONTEXTS = ['identity', 'sharing', 'records', 'prescriptions', 'analytics', 'audit', 'custody'];
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

  it('finds role and relationship logic wherever it is written', () => {
    const flagged = (code: string): string[] => roleLogicIn(code).map((f) => f.split(' (')[0]!);
    expect(flagged("if (actor.role === 'doctor') return;")).toEqual(['a role comparison']);
    expect(flagged("if (user.role !== 'admin') throw forbidden();")).toEqual(['a role comparison']);
    expect(flagged("const ok = 'patient' === caller.role;")).toEqual(['a role comparison']);
    expect(flagged("const n = role === 'admin' ? '' : 'x';")).toEqual(['a role comparison']);
    expect(flagged('switch (actor.role) {')).toEqual(['a switch on a role']);
    expect(flagged("if (!roleMay(actor.role, 'records.read')) throw forbidden();")).toEqual([
      'a permission check',
    ]);
    expect(flagged("requirePermission(actor, 'audit.read');")).toEqual(['a permission check']);
    expect(flagged("import { doctorPatientLinks } from '../../store/access-repository.js';")).toEqual([
      'a relationship query',
    ]);
    expect(flagged('const ids = await doctorPatientCandidates(db, doctorId, now);')).toEqual([
      'a relationship query',
    ]);
    // Asking the scope, reading a role for the ledger, vocabulary checks and comments are fine.
    expect(flagged("scope.require('audit.read');")).toEqual([]);
    expect(flagged('actor: { userId: scope.userId, role: scope.role },')).toEqual([]);
    expect(flagged('if (!isRole(row.role)) return null;')).toEqual([]);
    expect(flagged("// a patient (role === 'patient') reads only themself")).toEqual([]);
    expect(flagged('/** switch (actor.role) is for src/app/access only */')).toEqual([]);
  });

  it('decides roles and relationships in src/app/access only', () => {
    const violations: string[] = [];
    for (const f of files) {
      const rel = path.relative(ROOT, f).split(path.sep).join('/');
      if (!path.relative(ACCESS_MODULE, f).startsWith('..') || f === RELATIONSHIP_QUERIES) continue;
      if (rel in ROLE_LOGIC_EXCEPTIONS) continue;
      for (const found of roleLogicIn(fs.readFileSync(f, 'utf8'))) violations.push(`${rel}: ${found}`);
    }
    expect(violations).toEqual([]);
  });

  it('lists only exceptions that exist and still need to be exceptions', () => {
    for (const [rel, reason] of Object.entries(ROLE_LOGIC_EXCEPTIONS)) {
      expect(reason.length, rel).toBeGreaterThan(20);
      const file = path.join(ROOT, rel);
      expect(fs.existsSync(file), `${rel} no longer exists: drop its exception`).toBe(true);
      expect(roleLogicIn(fs.readFileSync(file, 'utf8')), `${rel} needs no exception any more`).not.toEqual(
        [],
      );
    }
  });

  it('keeps Math.random out of product code', () => {
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/Math\.random/);
  });
});
