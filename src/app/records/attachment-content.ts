import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { AttachmentType } from '../../contract/vocabulary/attachments.js';
import { payloadTooLarge, unsupportedMediaType } from '../errors.js';

/**
 * What an attachment may be, and the checks on its bytes while they stream in. Only image
 * formats a viewer needs are accepted: PNG and JPEG (shown inline) and DICOM (offered as a
 * download), so nothing an attacker uploads can be served back as HTML or script.
 */
export {
  ATTACHMENT_TYPES,
  isAttachmentType,
  type AttachmentType,
} from '../../contract/vocabulary/attachments.js';

/** Inline for images a browser renders; DICOM is always a download. */
export const dispositionOf = (type: AttachmentType): 'inline' | 'attachment' =>
  type === 'application/dicom' ? 'attachment' : 'inline';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);
/** DICOM Part 10: a 128-byte preamble, then "DICM". */
const DICOM_MAGIC = Buffer.from('DICM', 'latin1');
const DICOM_MAGIC_AT = 128;
/** Bytes needed to recognise every accepted type. */
export const SNIFF_BYTES = DICOM_MAGIC_AT + DICOM_MAGIC.length;

/** Whether the first bytes of a (non-empty) file are those of `type`. */
export function magicMatches(type: AttachmentType, head: Buffer): boolean {
  const at = (magic: Buffer, offset: number): boolean =>
    head.length >= offset + magic.length && head.subarray(offset, offset + magic.length).equals(magic);
  switch (type) {
    case 'image/png':
      return at(PNG_SIGNATURE, 0);
    case 'image/jpeg':
      return at(JPEG_SOI, 0);
    case 'application/dicom':
      return at(DICOM_MAGIC, DICOM_MAGIC_AT);
  }
}

const EXTENSION: Readonly<Record<AttachmentType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/dicom': 'dcm',
};
const MAX_NAME_LENGTH = 200;

/**
 * A file name safe to store and to put back in a Content-Disposition header: the last path
 * segment only (a client may send "C:\\scans\\x.png" or "../../x"), without control characters,
 * quotes or separators, at most 200 characters; a fallback named after the type when nothing is left.
 */
export function sanitiseFileName(name: string | undefined, type: AttachmentType): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // Controls, quotes, reserved shell/Windows characters, and Unicode bidi overrides.
    .replace(/[\p{Cc}\p{Cf}"*:<>?|;]/gu, '_')
    .trim()
    .replace(/^\.+/, '');
  const bounded = Array.from(cleaned).slice(0, MAX_NAME_LENGTH).join('');
  return bounded.length > 0 ? bounded : `attachment.${EXTENSION[type]}`;
}

/** What the inspector learned once the whole file went through. */
export interface InspectedContent {
  readonly size: number;
  /** SHA-256 of the plaintext, lowercase hex. */
  readonly sha256: string;
}

/**
 * A pass-through stage in front of the encryption: refuses more than `limit` bytes (413), checks
 * the magic bytes against the declared type before the first byte is passed on (415), and
 * hashes and counts the plaintext. An empty file is accepted: it has no bytes that could
 * contradict its type (and the issue asks that 0-byte uploads round-trip).
 */
export class ContentInspector extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  /** Bytes held back until SNIFF_BYTES arrived (or the end), so nothing unchecked is encrypted. */
  private head: Buffer[] | null = [];
  private headLength = 0;
  private digest: string | null = null;

  constructor(
    private readonly type: AttachmentType,
    private readonly limit: number,
  ) {
    super();
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += data.length;
    if (this.size > this.limit) {
      return callback(payloadTooLarge(`The attachment is larger than ${this.limit} bytes.`));
    }
    this.hash.update(data);
    if (this.head === null) {
      this.push(data);
      return callback();
    }
    this.head.push(data);
    this.headLength += data.length;
    if (this.headLength < SNIFF_BYTES) return callback();
    callback(this.releaseHead());
  }

  override _flush(callback: TransformCallback): void {
    const err = this.head !== null && this.headLength > 0 ? this.releaseHead() : undefined;
    if (err !== undefined) return callback(err);
    this.digest = this.hash.digest('hex');
    callback();
  }

  private releaseHead(): Error | undefined {
    const head = Buffer.concat(this.head ?? [], this.headLength);
    this.head = null;
    if (!magicMatches(this.type, head)) {
      return unsupportedMediaType(`The file's content is not ${this.type}.`);
    }
    this.push(head);
    return undefined;
  }

  /** Size and hash; only valid once the stream has finished. */
  result(): InspectedContent {
    if (this.digest === null) throw new Error('ContentInspector.result() before the stream ended');
    return { size: this.size, sha256: this.digest };
  }
}
