import { execFileSync } from 'node:child_process';

/** Debian's oathtool (an independent TOTP implementation): the code of `secretBase32` at `atMs` (default now). */
export function oathtool(secretBase32: string, atMs?: number): string {
  const args = ['--totp', '-b', secretBase32];
  if (atMs !== undefined)
    args.push(
      '--now',
      new Date(atMs)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    );
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}
