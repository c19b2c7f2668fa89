/**
 * Signed checkpoints of the audit ledger: the C2SP tlog-checkpoint body inside a C2SP signed-note
 * with an Ed25519 signature, so any tool that reads Go's `golang.org/x/mod/sumdb/note` format can
 * check our tree heads.
 *
 * A checkpoint as served, and the verifier key that checks it:
 *
 * ```text
 * medvault.example/audit
 * 8
 * XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=
 * time 1714000000
 *
 * — medvault.example/audit Dqv48KipGYkD9T23hWR7nAkgbldvd0lkF2qR4C+AHHEa1BRxc2fjjPvO2uRhYq15YUGpm6/yav0MWFu892zst8whTAI=
 * ```
 *
 * `medvault.example/audit+0eabf8f0+AVGgARgbKv3cRSKqYDcDq1uv6lqMwmPRf9H2Zp4CEoFI`
 *
 * Body (tlog-checkpoint): origin, tree size in decimal, root hash in standard base64, then one
 * extension line `time <unix seconds>` giving when the head was signed. tlog-checkpoint leaves
 * extension lines to each log; ours always has exactly this one. Then a blank line and one line
 * per signature (signed-note): an em dash U+2014, a space, the key name, a space and
 * base64(4-byte key hash || 64-byte Ed25519 signature over the body bytes).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { IntegrityError, UnsupportedFormatError } from './errors.js';

/** A tree head: what a checkpoint body states. */
export interface Checkpoint {
  /** Names the log; by convention also the name of the key that signs it. */
  origin: string;
  treeSize: number;
  /** RFC 9162 MTH of the first `treeSize` entries, 32 bytes. */
  rootHash: Buffer;
  /** When the head was signed, in Unix seconds (not milliseconds). */
  timestamp: number;
}

/** One signature line of a signed note. */
export interface NoteSignature {
  keyName: string;
  /** First 4 bytes of SHA-256(name || 0x0A || algorithm || public key). */
  keyId: Buffer;
  signature: Buffer;
}

/** A signed note split into the signed text and its signature lines. */
export interface SignedNote {
  /** The signed text, ending in a newline. */
  body: string;
  signatures: NoteSignature[];
}

export interface SignedCheckpoint extends SignedNote {
  checkpoint: Checkpoint;
}

/** An Ed25519 note verifier: key name, key hash and public key. */
export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

/** Checkpoint, signed-note or verifier-key text that does not follow the format. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
  constructor(readonly reason: string) {
    super(`malformed checkpoint: ${reason}`);
  }
}

const SIGNATURE_PREFIX = '\u2014 '; // em dash and space (signed-note)
const ALG_ED25519 = 0x01;
const ED25519_SIGNATURE_SIZE = 64;
const HASH_SIZE = 32;
// Go's note package refuses more; a bound keeps a hostile note from costing unbounded work.
const MAX_SIGNATURES = 100;
const TIME_PREFIX = 'time ';
// Unix seconds stay below this until the year 5138; a millisecond clock value is far above it.
const MAX_TIMESTAMP = 1e11;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The checkpoint body (C2SP tlog-checkpoint) for a tree head.
 * @throws CheckpointFormatError for an origin that is empty or holds a control character, a size
 *   or timestamp that is not a non-negative safe integer, or a root that is not 32 bytes.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, timestamp } = checkpoint;
  assertLine(origin, 'origin');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) fail('tree size must be a non-negative integer');
  if (rootHash.length !== HASH_SIZE) fail('root hash must be 32 bytes');
  checkTimestamp(timestamp);
  return `${origin}\n${treeSize}\n${Buffer.from(rootHash).toString('base64')}\n${TIME_PREFIX}${timestamp}\n`;
}

/** Parses a checkpoint body, strictly: exactly the four lines {@link formatCheckpoint} writes. */
export function parseCheckpointBody(body: string): Checkpoint {
  checkText(body);
  if (!body.endsWith('\n')) fail('body must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 4) fail('body must have exactly four lines');
  const [origin, size, root, time] = lines as [string, string, string, string];
  assertLine(origin, 'origin');
  const treeSize = parseDecimal(size, 'tree size');
  const rootHash = decodeBase64(root, 'root hash');
  if (rootHash.length !== HASH_SIZE) fail('root hash must be 32 bytes');
  if (!time.startsWith(TIME_PREFIX)) fail('fourth line must be "time <unix seconds>"');
  const timestamp = parseDecimal(time.slice(TIME_PREFIX.length), 'timestamp');
  checkTimestamp(timestamp);
  return { origin, treeSize, rootHash, timestamp };
}

/**
 * Signs any note text (C2SP signed-note, Ed25519 algorithm 0x01) and returns the signed note.
 * @throws TypeError if `privateKey` is not an Ed25519 private key.
 */
export function signNote(body: string, keyName: string, privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('signed note: the signing key must be an Ed25519 private key');
  }
  checkText(body);
  if (!body.endsWith('\n')) fail('body must end with a newline');
  assertKeyName(keyName);
  const keyId = noteKeyId(keyName, rawPublicKey(createPublicKey(privateKey)));
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  const blob = Buffer.concat([keyId, signature]).toString('base64');
  return `${body}\n${SIGNATURE_PREFIX}${keyName} ${blob}\n`;
}

/** Signs a checkpoint body after checking it parses, so a malformed head is never signed. */
export function signCheckpoint(body: string, keyName: string, privateKey: KeyObject): string {
  parseCheckpointBody(body);
  return signNote(body, keyName, privateKey);
}

/**
 * Splits a signed note into body and signature lines without verifying anything.
 * @throws CheckpointFormatError for text that is not a well-formed signed note.
 */
export function parseSignedNote(text: string): SignedNote {
  checkText(text);
  if (!text.endsWith('\n')) fail('note must end with a newline');
  // The signature block follows the last blank line; the body may not contain one after it.
  const split = text.lastIndexOf('\n\n');
  if (split < 0) fail('note has no signature block');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block.length === 0) fail('note has no signatures');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) fail('note has too many signatures');
  const signatures = lines.map(parseSignatureLine);
  const seen = new Set<string>();
  for (const s of signatures) {
    const key = `${s.keyName} ${s.keyId.toString('hex')}`;
    // Two signatures by one key would let a verifier be shown one and a witness the other.
    if (seen.has(key)) fail('note has two signatures by the same key');
    seen.add(key);
  }
  return { body, signatures };
}

/** Parses a signed checkpoint (body and signatures) without verifying the signatures. */
export function parseSignedCheckpoint(text: string): SignedCheckpoint {
  const note = parseSignedNote(text);
  return { ...note, checkpoint: parseCheckpointBody(note.body) };
}

/**
 * Verifies the signature of `key` on a signed note and returns the signed body. Signatures by
 * other keys (witness cosignatures) are ignored, as signed-note prescribes.
 * @throws IntegrityError if the note is malformed, has no signature by this key (name and key
 *   hash), or that signature does not verify.
 */
export function verifyNote(text: string, key: VerifierKey | string): string {
  const verifier = typeof key === 'string' ? parseVerifierKey(key) : key;
  const note = asIntegrity(() => parseSignedNote(text));
  const mine = note.signatures.find((s) => s.keyName === verifier.name && s.keyId.equals(verifier.keyId));
  if (mine === undefined) throw new IntegrityError('signed note has no signature by the expected key');
  // A line that claims our key but does not verify is a forgery: fail, never skip it.
  const ok =
    mine.signature.length === ED25519_SIGNATURE_SIZE &&
    verify(null, Buffer.from(note.body, 'utf8'), verifier.publicKey, mine.signature);
  if (!ok) throw new IntegrityError('signed note signature');
  return note.body;
}

/**
 * Verifies a signed checkpoint and returns the tree head it states. With `options.origin`, a
 * checkpoint of another log signed by the same key is refused too.
 * @throws IntegrityError on a malformed note or body, a missing or bad signature, or another origin.
 */
export function verifySignedCheckpoint(
  text: string,
  key: VerifierKey | string,
  options: { origin?: string } = {},
): Checkpoint {
  const body = verifyNote(text, key);
  const checkpoint = asIntegrity(() => parseCheckpointBody(body));
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new IntegrityError('checkpoint is for another log');
  }
  return checkpoint;
}

/**
 * The verifier key string `<name>+<8 hex digits of key hash>+<base64(0x01 || public key)>`, as
 * Go's `note.NewVerifier` reads it.
 */
export function verifierKeyString(name: string, publicKey: KeyObject): string {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('signed note: the verifier key must be an Ed25519 public key');
  }
  assertKeyName(name);
  const raw = rawPublicKey(publicKey);
  const material = Buffer.concat([Buffer.from([ALG_ED25519]), raw]).toString('base64');
  return `${name}+${noteKeyId(name, raw).toString('hex')}+${material}`;
}

/**
 * Parses a verifier key string and checks its key hash against its name and key.
 * @throws CheckpointFormatError for a malformed string or mismatched hash;
 *   UnsupportedFormatError for a key algorithm other than Ed25519.
 */
export function parseVerifierKey(text: string): VerifierKey {
  const { name, hashHex, material } = splitVerifierKey(text);
  if (material[0] !== ALG_ED25519) {
    throw new UnsupportedFormatError(`signed-note key algorithm ${String(material[0])}`);
  }
  if (material.length !== 1 + 32) fail('Ed25519 verifier key must be 32 bytes');
  const raw = material.subarray(1);
  const keyId = noteKeyId(name, raw);
  if (keyId.toString('hex') !== hashHex) fail('verifier key hash does not match its name and key');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    fail('verifier key is not an Ed25519 public key');
  }
  return { name, keyId, publicKey };
}

/**
 * The parts of a verifier key string (C2SP signed-note "vkey") `<name>+<hash>+<base64 key>`,
 * checked for shape only: the caller checks the algorithm byte and the key hash.
 * @throws CheckpointFormatError for a malformed string.
 */
export function splitVerifierKey(text: string): { name: string; hashHex: string; material: Buffer } {
  // The name holds no '+', so the first two '+' delimit it; the base64 may contain more.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) fail('verifier key must be <name>+<hash>+<key>');
  const name = text.slice(0, first);
  const hashHex = text.slice(first + 1, second);
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hashHex)) fail('verifier key hash must be 8 lowercase hex digits');
  const material = decodeBase64(text.slice(second + 1), 'verifier key');
  if (material.length === 0) fail('verifier key is empty');
  return { name, hashHex, material };
}

/** Strict standard base64 (padded, canonical), as signed notes and tlog-witness use it. */
export function decodeStrictBase64(text: string, what: string): Buffer {
  return decodeBase64(text, what);
}

// ---------------------------------------------------------------------------------------------

/** signed-note key hash: SHA-256(name || 0x0A || 0x01 || raw Ed25519 public key)[0:4]. */
function noteKeyId(name: string, raw: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ALG_ED25519]))
    .update(raw)
    .digest()
    .subarray(0, 4);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('signed note: not an Ed25519 key');
  return Buffer.from(x, 'base64url');
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) fail('signature line must start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) fail('signature line must be "— <name> <base64>"');
  const keyName = rest.slice(0, space);
  assertKeyName(keyName);
  const blob = decodeBase64(rest.slice(space + 1), 'signature');
  if (blob.length < 5) fail('signature is too short');
  return { keyName, keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
}

/** Strict standard base64: padded, canonical (no stray bits), nothing else. */
function decodeBase64(text: string, what: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail(`${what} is not base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) fail(`${what} is not canonical base64`);
  return bytes;
}

function parseDecimal(text: string, what: string): number {
  if (!DECIMAL.test(text)) fail(`${what} must be a decimal number without leading zeros`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) fail(`${what} is too large`);
  return n;
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= MAX_TIMESTAMP) {
    fail('timestamp must be non-negative Unix seconds');
  }
}

/** signed-note text: Unicode, and no ASCII control characters other than newline. */
function checkText(text: string): void {
  if (typeof text !== 'string') fail('note must be text');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) fail('text contains a control character');
  }
  if (LONE_SURROGATE.test(text)) fail('text is not valid Unicode');
}

function assertLine(line: string, what: string): void {
  checkText(line);
  if (line.length === 0 || line.includes('\n')) fail(`${what} must be one non-empty line`);
}

/** signed-note key names: non-empty, no whitespace, no '+'. */
function assertKeyName(name: string): void {
  checkText(name);
  if (name.length === 0 || /\s/u.test(name) || name.includes('+')) {
    fail('key name must be non-empty, without spaces or "+"');
  }
}

function asIntegrity<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    // Malformed text from the network is an integrity failure to the caller, like a bad signature.
    if (e instanceof CheckpointFormatError) throw new IntegrityError(`signed checkpoint: ${e.reason}`);
    throw e;
  }
}

function fail(reason: string): never {
  throw new CheckpointFormatError(reason);
}
