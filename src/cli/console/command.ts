import type { Command } from 'commander';
import { loadConfig, settingsFromEnv } from '../../config/config.js';
import { createClient, type MedVaultClient } from '../../contract/client/index.js';
import { runCommand } from '../run-command.js';
import { adminMenu } from './admin-menu.js';
import { doctorMenu } from './doctor-menu.js';
import { login } from './login.js';
import { patientMenu } from './patient-menu.js';
import { pharmacistMenu } from './pharmacist-menu.js';
import { registrarMenu } from './registrar-menu.js';
import { attempt, type ConsoleSession } from './session.js';
import { choose, show } from './ui.js';

const MENUS: Record<string, (s: ConsoleSession) => Promise<void>> = {
  patient: patientMenu,
  doctor: doctorMenu,
  pharmacist: pharmacistMenu,
  registrar: registrarMenu,
  admin: adminMenu,
};

/** Ctrl-C in a prompt: inquirer rejects with ExitPromptError; leave quietly. */
const isExit = (err: unknown): boolean => err instanceof Error && err.name === 'ExitPromptError';

async function loop(api: MedVaultClient): Promise<void> {
  for (;;) {
    let session: ConsoleSession | undefined;
    await attempt(async () => {
      session = await login(api);
    });
    if (session !== undefined) {
      const s: ConsoleSession = session;
      show(`  logged in as ${s.user.displayName ?? s.user.username ?? 'patient'} (${s.user.role})`);
      await MENUS[s.user.role]?.(s);
      await attempt(async () => {
        await s.api.call('logout');
      });
    }
    const again = await choose('Next', [
      { name: 'Log in again', value: true },
      { name: 'Quit', value: false },
    ]);
    if (!again) return;
  }
}

/**
 * `medvault console`: the interactive console (the CIS 5370 prototype's main.py) — arrow-key
 * menus to log in as any role and do that role's work against a running server, over the API
 * only (it holds no database and no keys beyond the staff member's own key file).
 */
export function registerConsoleCommand(program: Command): void {
  program
    .command('console')
    .description('interactive menus for every role, over the API of a running server')
    .option(
      '--url <url>',
      'the server (default http://<HOST>:<PORT> from the environment, else http://127.0.0.1:3000)',
    )
    .action(
      runCommand(async (opts: { url?: string }) => {
        const config = loadConfig(settingsFromEnv(process.env));
        const url = (opts.url ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
        show(`MedVault console — ${url}   (arrow keys and Enter; Ctrl-C quits)`);
        try {
          await loop(createClient({ baseUrl: url }));
        } catch (err) {
          if (!isExit(err)) throw err;
        }
      }),
    );
}
