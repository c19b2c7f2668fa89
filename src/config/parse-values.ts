import { fail, type SettingName } from './settings.js';

/** Parsers for one setting's text each: they return the value or throw naming the setting. */
export function parseInteger(name: SettingName, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) fail(name);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(name);
  return value;
}

/** A decimal with at most three decimals, as an integer number of thousandths in [min, max]. */
export function parseMilli(name: SettingName, raw: string, min: number, max: number): number {
  const m = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(raw.trim());
  if (m === null) fail(name);
  const value = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (value < min || value > max) fail(name);
  return value;
}

export function parseBoolean(name: SettingName, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return fail(name);
}

export function parseMasterKey(raw: string): Buffer {
  const trimmed = raw.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) fail('MEDVAULT_MASTER_KEY');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) fail('MEDVAULT_MASTER_KEY');
  return key;
}

export function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('DATABASE_URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') fail('DATABASE_URL');
  return raw;
}

/** An origin as browsers write `location.origin`: scheme, host and a non-default port, nothing else. */
export function parsePublicOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail('MEDVAULT_PUBLIC_ORIGIN');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('MEDVAULT_PUBLIC_ORIGIN');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    fail('MEDVAULT_PUBLIC_ORIGIN');
  if (url.pathname !== '/') fail('MEDVAULT_PUBLIC_ORIGIN');
  return url.origin;
}
