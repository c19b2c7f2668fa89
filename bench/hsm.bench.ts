import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDek, unwrapDek, wrapDek, type EnvelopeContext } from '../src/crypto/envelope.js';
import { openPkcs11Root } from '../src/app/key-root/open-pkcs11-root.js';
import { measure, printTable } from './harness.js';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const ctx: EnvelopeContext = { table: 'records', rowId: 'rec-1', patientId: 'pat-1', field: 'body' };

/**
 * DEK wrap and unwrap per second with the KEK inside SoftHSM2 (PKCS#11 CKM_AES_GCM, one call
 * across the module boundary each) against the same AES-256-GCM wrap in process, in one run.
 */
export async function benchHsm({ quick }: { quick: boolean }): Promise<void> {
  if (!fs.existsSync(MODULE)) {
    process.stdout.write(`\nhsm: skipped (${MODULE} is not installed: apt-get install softhsm2)\n`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-hsm-'));
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${path.join(dir, 'tokens')}\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', 'bench', '--pin', '1234', '--so-pin', '5678'],
    {
      stdio: 'ignore',
    },
  );
  const root = openPkcs11Root({ module: MODULE, token: { label: 'bench' }, pin: { value: '1234' } }, false);
  try {
    const moduleKek = root.createKek(1, ctx).kek;
    const soft = { version: 1, key: Buffer.alloc(32, 7) };
    const dek = generateDek();
    const wrappedSoft = wrapDek(dek, ctx, soft);
    const wrappedModule = wrapDek(dek, ctx, moduleKek);
    const n = quick ? 300 : 1000; // ms per measurement
    const softWrap = await measure(() => wrapDek(dek, ctx, soft), n);
    const softUnwrap = await measure(() => unwrapDek(wrappedSoft, ctx, () => soft), n);
    const hsmWrap = await measure(() => wrapDek(dek, ctx, moduleKek), n);
    const hsmUnwrap = await measure(() => unwrapDek(wrappedModule, ctx, () => moduleKek), n);
    const row = (
      name: string,
      m: { opsPerSecond: number },
      base: { opsPerSecond: number },
    ): Array<string | number> => [
      name,
      m.opsPerSecond,
      (m.opsPerSecond / base.opsPerSecond).toFixed(3),
      (1e6 / m.opsPerSecond).toFixed(1),
    ];
    printTable(
      'DEK wrap/unwrap: KEK in process vs inside SoftHSM2 (PKCS#11)',
      ['path', 'ops/s', 'ratio', 'µs/op'],
      [
        row('wrap, in-process AES-256-GCM (baseline)', softWrap, softWrap),
        row('wrap, SoftHSM2 CKM_AES_GCM', hsmWrap, softWrap),
        row('unwrap, in-process AES-256-GCM (baseline)', softUnwrap, softUnwrap),
        row('unwrap, SoftHSM2 CKM_AES_GCM', hsmUnwrap, softUnwrap),
      ],
    );
  } finally {
    root.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
