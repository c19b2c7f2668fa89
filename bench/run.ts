import { Command } from 'commander';
import { benchAttachments } from './attachments.bench.js';
import { benchEnvelope } from './envelope.bench.js';
import { benchHsm } from './hsm.bench.js';
import { benchIdentity } from './identity.bench.js';
import { benchLedger } from './ledger.bench.js';
import { benchPaillier } from './paillier.bench.js';
import { benchPrescriptions } from './prescriptions.bench.js';
import { benchRotation } from './rotation.bench.js';
import { benchRecords } from './records.bench.js';
import { benchHttpRecords } from './http-records.bench.js';
import { benchHttpLoad } from './http-load.bench.js';
import { benchLoginFlood } from './login-flood.bench.js';
import { benchSearchLeakage } from './search-leakage.bench.js';
import { benchNameLeakage } from './name-leakage.bench.js';
import { benchMigrate } from './migrate.bench.js';
import { benchFhir } from './fhir.bench.js';
import { benchSignin } from './signin.bench.js';
import { benchHttpCluster } from './http-cluster.bench.js';
import { benchBackup } from './backup.bench.js';

/** Every benchmark's name, one per line (what `--only` takes). */
const BENCH_NAMES = [
  'envelope',
  'rotation',
  'ledger',
  'identity',
  'attachments',
  'prescriptions',
  'records',
  'http (autocannon vs hello-world)',
  'http-schema',
  'flood',
  'paillier',
  'search-leakage',
  'migrate',
  'hsm',
  'fhir',
  'signin',
  'http-cluster',
  'backup',
];
/**
 * `npm run bench [-- --only NAME…] [-- --quick]`: every benchmark, each printing its figures
 * next to a baseline measured in the same run. PostgreSQL figures need
 * MEDVAULT_BENCH_DATABASE_URL (or MEDVAULT_TEST_DATABASE_URL).
 */
const program = new Command()
  .name('bench')
  .description('MedVault benchmarks (ratios against same-run baselines)')
  .option('--only <names...>', `run only these: ${BENCH_NAMES.join(', ')}`)
  .option('--quick', 'smaller sizes, for a smoke run')
  .parse();
const opts = program.opts<{ only?: string[]; quick?: boolean }>();
const wanted = (name: string): boolean => opts.only === undefined || opts.only.includes(name);

process.stdout.write(`MedVault benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
if (wanted('envelope')) await benchEnvelope();
if (wanted('rotation'))
  await benchRotation(
    opts.quick ? { sqlite: 20_000, postgres: 5_000 } : { sqlite: 1_000_000, postgres: 100_000 },
  );
if (wanted('ledger'))
  await benchLedger(
    opts.quick
      ? {
          appends: { sqlite: 2_000, postgres: 200 },
          grouped: { sqlite: 4_000, postgres: 2_000 },
          logSize: { sqlite: 20_000, postgres: 20_000 },
        }
      : {
          appends: { sqlite: 20_000, postgres: 1_000 },
          grouped: { sqlite: 100_000, postgres: 20_000 },
          logSize: { sqlite: 1_000_000, postgres: 1_000_000 },
        },
  );
if (wanted('identity')) await benchIdentity({ quick: opts.quick === true });
if (wanted('attachments'))
  await benchAttachments(opts.quick ? { sizeMb: 16, rounds: 2 } : { sizeMb: 64, rounds: 3 });
if (wanted('prescriptions')) await benchPrescriptions({ quick: opts.quick === true });
if (wanted('records')) await benchRecords({ quick: opts.quick === true });
if (wanted('http-schema')) await benchHttpRecords({ quick: opts.quick === true });
if (wanted('http')) await benchHttpLoad({ quick: opts.quick === true });
if (wanted('flood')) await benchLoginFlood({ quick: opts.quick === true });
if (wanted('paillier')) await benchPaillier({ quick: opts.quick === true });
if (wanted('search-leakage')) {
  benchSearchLeakage({ quick: opts.quick === true });
  benchNameLeakage({ quick: opts.quick === true });
}
if (wanted('migrate'))
  await benchMigrate(opts.quick ? { patients: 20, images: 10 } : { patients: 200, images: 100 });
if (wanted('hsm')) await benchHsm({ quick: opts.quick === true });
if (wanted('fhir')) await benchFhir({ quick: opts.quick === true });
if (wanted('signin')) await benchSignin({ quick: opts.quick === true });
if (wanted('http-cluster')) await benchHttpCluster({ quick: opts.quick === true });
if (wanted('backup'))
  await benchBackup(
    opts.quick ? { patients: 100, images: 10, rounds: 1 } : { patients: 2_000, images: 100, rounds: 1 },
  );
