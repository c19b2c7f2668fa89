import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES, STATUS_BY_KIND, statusOf } from '../../src/contract/errors.js';
import { renderErrorsDoc } from '../../src/contract/errors-doc.js';
import { APPROVAL_ERRORS } from '../../src/contract/error-catalogue/approvals.js';
import { AUDIT_ERRORS } from '../../src/contract/error-catalogue/audit.js';
import { GENERAL_ERRORS } from '../../src/contract/error-catalogue/general.js';
import { IDEMPOTENCY_ERRORS } from '../../src/contract/error-catalogue/idempotency.js';
import { IDENTITY_ERRORS } from '../../src/contract/error-catalogue/identity.js';
import { PRESCRIPTION_ERRORS } from '../../src/contract/error-catalogue/prescriptions.js';
import { RECORDS_ERRORS } from '../../src/contract/error-catalogue/records.js';
import { SECOND_FACTOR_ERRORS } from '../../src/contract/error-catalogue/second-factors.js';
import { ROOT } from '../support/cli.js';

describe('error catalogue', () => {
  it('docs/errors.md is the catalogue rendered (run `npm run docs:errors` after changing it)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('every code has a status, a message and a line of documentation', () => {
    for (const code of ERROR_CODES) {
      const entry = ERROR_CATALOGUE[code];
      expect(Object.values(STATUS_BY_KIND), code).toContain(statusOf(code));
      expect(entry.message.length, code).toBeGreaterThan(0);
      expect(entry.when.length, code).toBeGreaterThan(0);
      expect(code, code).toMatch(/^[a-z][a-z_]*$/);
    }
  });

  it('each code is defined in exactly one part of the catalogue (a spread would hide a second)', () => {
    const parts = [
      GENERAL_ERRORS,
      IDEMPOTENCY_ERRORS,
      IDENTITY_ERRORS,
      RECORDS_ERRORS,
      PRESCRIPTION_ERRORS,
      AUDIT_ERRORS,
      APPROVAL_ERRORS,
      SECOND_FACTOR_ERRORS,
    ];
    const codes = parts.flatMap((part) => Object.keys(part));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBe(ERROR_CODES.length);
  });

  it('no throw site in src/ makes an error from a code outside the catalogue', () => {
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
      });
    for (const file of walk(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new AppError\(\s*'([a-z_]+)'/g))
        if (!ERROR_CODES.includes(m[1] as (typeof ERROR_CODES)[number])) offenders.push(`${file}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });
});
