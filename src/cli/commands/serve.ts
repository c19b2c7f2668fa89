import type { Command } from 'commander';
import { openVault, type AppContext } from '../../app/context.js';
import type { Config } from '../../config/config.js';
import { buildSealedServer } from '../../http/sealed-server.js';
import { buildServer, installGracefulShutdown, listen, type App } from '../../http/server.js';
import { builtWebRoot } from '../paths.js';
import { runCommand } from '../run-command.js';
import { configFrom, SERVE_FLAGS, withDataFlags } from '../settings.js';
import { demoLines, seedDemoIfAsked } from './serve-demo.js';

const say = (line: string): boolean => process.stdout.write(line + '\n');

/** The full server over an open application. */
function fullServer(config: Config, app: AppContext): Promise<App> {
  const webRoot = builtWebRoot();
  if (webRoot === undefined) say('Web UI not built (run `npm run build`); serving the API only.');
  return buildServer({
    config,
    checkReady: () => app.store.ping(),
    app,
    ...(webRoot === undefined ? {} : { webRoot }),
  });
}

/** `medvault serve`: the API and the web UI (sealed first when the master key is split). */
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
        const opened = await openVault(config);
        if (opened.sealed) {
          const { vault } = opened;
          const server = await buildSealedServer({
            config,
            vault,
            buildFull: async () => {
              const app = vault.result as AppContext;
              say(`Unsealed with ${app.startup.masterKeyOrigin}: serving ${app.store.location}.`);
              const full = await fullServer(config, app);
              app.audit.autoCheckpoints.start({ report: (line) => full.log.error(line) });
              return full;
            },
          });
          installGracefulShutdown(server, () => opened.close());
          const url = await listen(server, config);
          const { threshold, shares } = vault.custody;
          say(`MedVault data: ${opened.location}`);
          say(`MedVault is listening on ${url}, SEALED: the master key is split between officers.`);
          say(`${threshold} of ${shares} officers must each run \`medvault unseal --url ${url}\`.`);
          return;
        }
        const { app } = opened;
        const demo = await seedDemoIfAsked(app, config.demo || opts.demo === true);
        const server = await fullServer(config, app);
        installGracefulShutdown(server, () => app.close());
        const url = await listen(server, config);
        // Checkpoints signed by the server itself and published outside the database, and the
        // clean-up: by one server of the cluster (advisory lock on PostgreSQL); the last checkpoint
        // is signed when app.close() stops the task.
        app.periodic.start({ report: (line) => server.log.warn(line) });
        const { startup } = app;
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
        say(`MedVault is listening on ${url}  (API docs: ${url}/api/docs)`);
        for (const line of demoLines(demo, url)) say(line);
      }),
    );
}
