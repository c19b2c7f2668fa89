import { describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { composeRecords, SearchIndex } from '../../src/app/records/index.js';
import { exitCodeOf, runDemo } from '../../src/cli/demo/runner.js';
import type { Config } from '../../src/config/config.js';
import { placeBlindCipher } from './place-blind-cipher.js';

/**
 * The attacks are live: with ONE defence switched off in the code — the associated data that
 * binds a record's ciphertext and data key to its record and patient — the "ciphertext swapped
 * between patients" attack must report FAIL and the demo must exit non-zero, while the
 * tampered-ciphertext attack (caught by the AEAD tag, which still works) still PASSes.
 *
 * The defence is switched off through the demo runner's `openApp` seam, which only code can
 * pass: the `medvault demo` command never does, and no setting, flag or route reaches it.
 */
async function openAppWithoutPlaceBinding(config: Config): Promise<AppContext> {
  const app = await openApp(config);
  // The records context composed again through its public entry, with the broken cipher.
  const records = composeRecords({
    db: app.store.db,
    dataKeys: app.dataKeys,
    audit: app.audit.ledger,
    search: new SearchIndex(app.keyring),
    vitals: app.analytics.vitalsSink,
    cipher: placeBlindCipher(app),
    dataDir: app.config.dataDir,
    attachmentStorage: app.store.dialect === 'postgres' ? 'database' : 'files',
    attachmentLimitBytes: app.config.attachmentLimitBytes,
  });
  return { ...app, records };
}

describe('the demo with the record AAD check disabled', () => {
  it('reports the swapped-ciphertext attack as FAIL and exits non-zero', async () => {
    let out = '';
    const report = await runDemo({
      write: (t) => (out += t),
      openApp: openAppWithoutPlaceBinding,
      attacks: ['tampered-ciphertext', 'swapped-ciphertext'],
    });
    const verdict = (title: RegExp) => report.outcomes.find((o) => title.test(o.title))?.verdict;
    expect(
      report.outcomes.filter((o) => o.kind === 'step' && o.verdict !== 'PASS'),
      out,
    ).toEqual([]);
    expect(verdict(/^Tampered ciphertext/), out).toBe('PASS');
    expect(verdict(/^Ciphertext swapped between patients/), out).toBe('FAIL');
    expect(out).toMatch(/patient B reads their record: 200 — got A's diagnosis/);
    expect(report.ok).toBe(false);
    expect(exitCodeOf(report)).toBe(1);
  }, 300_000);
});
