import type { Command } from 'commander';
import { loadConfig, settingsFromEnv } from '../../config/config.js';
import { ATTACK_IDS } from '../demo/catalog.js';
import { exitCodeOf, runDemo } from '../demo/runner.js';
import { runCommand } from '../run-command.js';

/**
 * `medvault demo`: the narrated walkthrough and the attack simulation against a server of its
 * own (fresh temporary folder, or a fresh schema on --database-url). Exits 1 when any step or
 * attack FAILs, so CI can run it as a test.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('walk through every role over HTTP, then attack the running system; exit 1 on any FAIL')
    .option(
      '--database-url <url>',
      'run on PostgreSQL, in a fresh schema created and dropped by the demo (env DATABASE_URL is ignored)',
    )
    .option('--attack <id...>', `run only these attacks (${ATTACK_IDS.join(', ')})`)
    .option(
      '--servers <n>',
      'run n servers (2..4) on the one database, each request going to the next in turn (needs --database-url)',
    )
    .action(
      runCommand(async (opts: { databaseUrl?: string; attack?: string[]; servers?: string }) => {
        const servers = opts.servers === undefined ? 1 : Number(opts.servers);
        if (!Number.isInteger(servers) || servers < 1 || servers > 4) {
          process.stderr.write('medvault: --servers expects a whole number between 1 and 4\n');
          process.exit(2);
        }
        if (servers > 1 && opts.databaseUrl === undefined) {
          process.stderr.write(
            'medvault: several servers share one PostgreSQL database: give --database-url too\n',
          );
          process.exit(2);
        }
        // Validates the URL the same way the server does (a bad URL is exit 2, not a stack trace).
        if (opts.databaseUrl !== undefined)
          loadConfig({ ...settingsFromEnv({}), DATABASE_URL: opts.databaseUrl });
        const unknown = (opts.attack ?? []).filter((a) => !ATTACK_IDS.includes(a));
        if (unknown.length > 0) {
          process.stderr.write(
            `medvault: unknown attack ${unknown.join(', ')}; choose from ${ATTACK_IDS.join(', ')}\n`,
          );
          process.exit(2);
        }
        const report = await runDemo({
          databaseUrl: opts.databaseUrl,
          attacks: opts.attack,
          servers,
          write: (text) => process.stdout.write(text),
        });
        process.exitCode = exitCodeOf(report);
      }),
    );
}
