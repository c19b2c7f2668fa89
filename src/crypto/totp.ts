/**
 * TOTP (RFC 6238) over HOTP (RFC 4226): HMAC-SHA-1, 6 digits, 30-second steps — what every
 * authenticator app reads from an otpauth:// URI. Node's crypto only; the tests check it against
 * Debian's `oathtool`, an independent implementation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
/** 160 bits: RFC 4226 §4 asks for at least 128 and recommends 160 (the HMAC-SHA-1 block). */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CODE_RE = new RegExp(`^[0-9]{${TOTP_DIGITS}}$`);

/** A fresh random TOTP secret. */
export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** RFC 4648 base32 without padding (what authenticator apps and `oathtool -b` read). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The time step a moment falls in (epoch milliseconds). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
}

/** The HOTP code of `secret` at counter `step`, as a zero-padded string. */
export function hotp(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/**
 * The step among `now`'s and `skew` steps either side whose code is `code`, or undefined. Every
 * candidate is compared in constant time; the caller refuses steps already used (replay).
 */
export function matchTotp(secret: Uint8Array, code: string, nowMs: number, skew = 1): number | undefined {
  if (!CODE_RE.test(code)) return undefined;
  const now = totpStep(nowMs);
  const given = Buffer.from(code);
  let found: number | undefined;
  for (let step = now - skew; step <= now + skew; step++) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), given) && found === undefined) found = step;
  }
  return found;
}

/**
 * The otpauth:// URI an authenticator app scans (Key URI Format): issuer and account label,
 * the secret in base32, and the defaults spelled out.
 */
export function totpUri(secret: Uint8Array, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
