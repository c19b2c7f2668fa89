import type { Command } from 'commander';
import { openApp } from '../../app/context.js';
import { buildServer, installGracefulShutdown, listen } from '../../http/server.js';
import { builtWebRoot } from '../paths.js';
import { runCommand } from '../run-command.js';
import { configFrom, SERVE_FLAGS, withDataFlags } from '../settings.js';
import { demoLines, seedDemoIfAsked } from './serve-demo.js';

/** `medvault serve`: the API and the web UI. */
export function registerServeCommand(program: Command): void {
  withDataFlags(program.command('serve'), SERVE_FLAGS)
    .description('serve the web UI and the API (creates the data folder and keys on first start)')
    .option(
      '--demo',
      'seed the demo hospital if the database has no account yet (env MEDVAULT_DEMO=1; `npm start` does)',
    )
    .action(
      runCommand(async (opts: { demo?: boolean }, cmd: Command) => {
        const config = configFrom(cmd);
        const app = await openApp(config);
        const demo = await seedDemoIfAsked(app, config.demo || opts.demo === true);
        const webRoot = builtWebRoot();
        const server = await buildServer({
          config,
          checkReady: () => app.store.ping(),
          app,
          ...(webRoot === undefined ? {} : { webRoot }),
        });
        installGracefulShutdown(server, () => app.close());
        const url = await listen(server, config);
        // Checkpoints signed by the server itself and published outside the database, and the
        // clean-up: by one server of the cluster (advisory lock on PostgreSQL); the last checkpoint
        // is signed when app.close() stops the task.
        app.periodic.start({ report: (line) => server.log.warn(line) });
        const { startup } = app;
        const say = (line: string): boolean => process.stdout.write(line + '\n');
        say(`MedVault data: ${app.store.location}`);
        if (startup.migrationsApplied.length > 0)
          say(`Applied migrations: ${startup.migrationsApplied.join(', ')}`);
        if (startup.masterKeyCreated)
          say(
            `Created master key file ${startup.masterKeyOrigin} (mode 0600): back it up; without it the data cannot be read.`,
          );
        say(
          `Audit checkpoints: every ${config.checkpointEveryEntries} entries or ${config.checkpointEverySeconds} s, ` +
            `to ${config.checkpointFile}` +
            (config.witnesses.length > 0
              ? ` and ${config.witnesses.length} witness(es)`
              : ' (no witness configured)'),
        );
        if (webRoot === undefined) say('Web UI not built (run `npm run build`); serving the API only.');
        say(`MedVault is listening on ${url}  (API docs: ${url}/api/docs)`);
        for (const line of demoLines(demo, url)) say(line);
      }),
    );
}
