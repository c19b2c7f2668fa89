/**
 * What a staff key signs: never bare data, always a message that names what it is for.
 *
 * Issue 15, finding 1: staff sign login challenges and prescriptions with the same key. When both
 * signatures covered bare bytes (the challenge string, the prescription's canonical JSON), a
 * compromised server could send a prescription's JSON as a "login challenge" and collect a
 * doctor-signed prescription at every login. Now every signature covers
 *
 *     UTF-8(context) ‖ 0x0A ‖ body
 *
 * where the context line is one of {@link SIGNING_CONTEXTS} and says what the signature means.
 * The context lines differ, none is a prefix of another and none contains a line feed, so the
 * bytes up to the first 0x0A name exactly one purpose: no message of one purpose is a message of
 * another, whatever its body. Neither starts like the formats signed before (`{` for a bare
 * prescription payload, `medvault-staff-login-v1:` for a bare challenge), so no old signature is
 * a new one either.
 *
 * Bodies:
 * - login: the challenge's fields (origin, username, nonce, expiresAt as decimal digits), each as
 *   a 4-byte big-endian byte length followed by its UTF-8 bytes — unambiguous whatever they hold;
 * - prescription: the RFC 8785 canonical JSON of the payload (the rest of the message);
 * - keyAdd: the username and the new public key (standard base64 of its SPKI DER), framed like
 *   the login's fields: a current key vouches for the next one on the same account.
 *
 * The server, the browser and the CLI all build the bytes here; nothing else signs or verifies a
 * staff signature over anything but these messages. No `node:` import: the web bundle uses it.
 */

/** The context line of each kind of staff signature (versioned: a new layout is a new line). */
export const SIGNING_CONTEXTS = {
  login: 'MedVault staff login v1',
  prescription: 'MedVault prescription v1',
  keyAdd: 'MedVault staff key add v1',
} as const;
export type SigningPurpose = keyof typeof SIGNING_CONTEXTS;

declare const domainSeparated: unique symbol;
/**
 * Bytes that begin with a signing context: the only thing the signing functions (browser, CLI)
 * accept, so code that signs cannot hand them arbitrary data by mistake. Made only here.
 */
export type SignedMessage = Uint8Array<ArrayBuffer> & { readonly [domainSeparated]: SigningPurpose };

const encoder = new TextEncoder();
const LINE_FEED = 0x0a;
/** Largest field of a framed body: far above any real one, far below what would hurt. */
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * The message a prescription signature covers: the prescription context line and the payload's
 * canonical JSON text (produce it with the contract's `canonicalJson`; it is taken as given).
 */
export function prescriptionMessage(canonicalPayload: string): SignedMessage {
  return message('prescription', [encoder.encode(canonicalPayload)]);
}

/** The fields of a login challenge that its signature covers (see login-challenge.ts). */
export interface LoginFields {
  readonly origin: string;
  readonly username: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

/**
 * The message a login signature covers: the login context line, then origin, username, nonce
 * and expiry (decimal), each length-prefixed.
 */
export function loginMessage(fields: LoginFields): SignedMessage {
  if (!Number.isSafeInteger(fields.expiresAt) || fields.expiresAt < 0)
    throw new RangeError('expiresAt must be a non-negative integer');
  return framed('login', [fields.origin, fields.username, fields.nonce, String(fields.expiresAt)]);
}

/** What a current key signs to add a new key to the same account (issue 14). */
export interface KeyAddFields {
  readonly username: string;
  /** Standard base64 of the new public key's SPKI DER. */
  readonly publicKeySpki: string;
}

/** The message a key-add signature covers: the keyAdd context line, the username and the new key. */
export function keyAddMessage(fields: KeyAddFields): SignedMessage {
  return framed('keyAdd', [fields.username, fields.publicKeySpki]);
}

function framed(purpose: SigningPurpose, fields: readonly string[]): SignedMessage {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    const bytes = encoder.encode(field);
    if (bytes.length > MAX_FIELD_BYTES) throw new RangeError('signed field too long');
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length, false);
    parts.push(length, bytes);
  }
  return message(purpose, parts);
}

/** The purpose named by a message's context line, or undefined when it names none of ours. */
export function purposeOf(bytes: Uint8Array): SigningPurpose | undefined {
  for (const purpose of Object.keys(SIGNING_CONTEXTS) as SigningPurpose[]) {
    const line = encoder.encode(SIGNING_CONTEXTS[purpose]);
    if (
      bytes.length > line.length &&
      bytes[line.length] === LINE_FEED &&
      line.every((b, i) => bytes[i] === b)
    )
      return purpose;
  }
  return undefined;
}

function message(purpose: SigningPurpose, body: readonly Uint8Array[]): SignedMessage {
  const context = encoder.encode(SIGNING_CONTEXTS[purpose]);
  const size = context.length + 1 + body.reduce((n, part) => n + part.length, 0);
  const out = new Uint8Array(new ArrayBuffer(size));
  out.set(context, 0);
  out[context.length] = LINE_FEED;
  let offset = context.length + 1;
  for (const part of body) {
    out.set(part, offset);
    offset += part.length;
  }
  return out as SignedMessage;
}
