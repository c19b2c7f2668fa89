import type { Command } from 'commander';
import {
  loadConfig,
  settingsFromEnv,
  type Config,
  type RawSettings,
  type SettingName,
} from '../config/config.js';

/** Command-line flags that override a setting, shared by every command that opens the data. */
const FLAGS: ReadonlyArray<readonly [flag: string, setting: SettingName, help: string]> = [
  ['--data-dir <dir>', 'MEDVAULT_DATA_DIR', 'data folder (default ./.medvault; env MEDVAULT_DATA_DIR)'],
  ['--database-url <url>', 'DATABASE_URL', 'postgres:// URL instead of SQLite (env DATABASE_URL)'],
  ['--log-level <level>', 'LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL)'],
];

export const SERVE_FLAGS: ReadonlyArray<readonly [flag: string, setting: SettingName, help: string]> = [
  ['--port <port>', 'PORT', 'port to listen on (default 3000; env PORT)'],
  ['--host <host>', 'HOST', 'address to listen on (default 127.0.0.1; env HOST)'],
  ['--tls-cert <file>', 'MEDVAULT_TLS_CERT', 'PEM certificate: serve HTTPS (env MEDVAULT_TLS_CERT)'],
  ['--tls-key <file>', 'MEDVAULT_TLS_KEY', 'PEM private key for --tls-cert (env MEDVAULT_TLS_KEY)'],
];

const optionKey = (flag: string): string =>
  (flag.split(' ')[0] as string).replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Adds the data-location flags (and optionally the serve flags) to a command. */
export function withDataFlags(cmd: Command, extra: typeof SERVE_FLAGS = []): Command {
  for (const [flag, , help] of [...FLAGS, ...extra]) cmd.option(flag, help);
  return cmd;
}

/** The validated config: environment, overridden by any flag given. */
export function configFrom(cmd: Command): Config {
  const raw: RawSettings = settingsFromEnv(process.env);
  const opts = cmd.optsWithGlobals<Record<string, string | undefined>>();
  for (const [flag, setting] of [...FLAGS, ...SERVE_FLAGS]) {
    const value = opts[optionKey(flag)];
    if (value !== undefined) raw[setting] = value;
  }
  return loadConfig(raw);
}
