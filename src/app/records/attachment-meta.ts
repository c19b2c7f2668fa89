import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { EnvelopeContext } from '../../crypto/envelope-format.js';
import { IntegrityError } from '../../crypto/errors.js';
import { ATTACHMENT_TYPES } from './attachment-content.js';

/**
 * The attachment facts kept encrypted in `attachments.meta_ct` (field "meta"): a file name or
 * type can be clinical ("chest-xray-fracture.png"), so only sizes stay visible at rest.
 */
export const AttachmentMeta = Type.Object(
  {
    v: Type.Literal(1),
    contentType: Type.Union(ATTACHMENT_TYPES.map((t) => Type.Literal(t))),
    fileName: Type.String({ minLength: 1, maxLength: 1000 }),
    size: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);
export type AttachmentMeta = Static<typeof AttachmentMeta>;

/** Where an attachment's content (the streamed file) and its meta payload are bound. */
export const attachmentContext = (
  id: string,
  patientId: string,
  field: 'content' | 'meta',
): EnvelopeContext => ({
  table: 'attachments',
  rowId: id,
  patientId,
  field,
});

export const encodeMeta = (meta: AttachmentMeta): Buffer => Buffer.from(JSON.stringify(meta), 'utf8');

/**
 * Parses decrypted meta. It was authenticated, so a shape we do not recognise means a foreign
 * or future writer, reported like any other integrity failure rather than trusted.
 */
export function decodeMeta(plaintext: Buffer): AttachmentMeta {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new IntegrityError('attachment meta is not JSON');
  }
  if (!Value.Check(AttachmentMeta, parsed)) throw new IntegrityError('attachment meta has an unknown shape');
  return parsed;
}
