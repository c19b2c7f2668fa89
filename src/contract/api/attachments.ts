import { Type, type Static } from '@sinclair/typebox';
import { ATTACHMENT_FILE_FIELD, ATTACHMENT_TYPES } from '../vocabulary/attachments.js';
import { BinaryBody, closed, EpochMs, IdField, IdParams } from './common.js';
import { route } from './route.js';

export const AttachmentTypeField = Type.Union(ATTACHMENT_TYPES.map((t) => Type.Literal(t)));

export const Attachment = Type.Object(
  {
    id: Type.String(),
    recordId: Type.String(),
    contentType: AttachmentTypeField,
    fileName: Type.String(),
    size: Type.Integer({ description: 'Plaintext bytes.' }),
    sha256: Type.String({ description: 'SHA-256 of the plaintext, lowercase hex.' }),
    createdAt: EpochMs(),
  },
  { ...closed, title: 'Attachment' },
);
export type Attachment = Static<typeof Attachment>;

const AttachmentParams = Type.Object({ id: IdField, attachmentId: IdField }, closed);

/**
 * The headers a download answers with, besides the bytes: the stored type, the plaintext size,
 * how to show it (inline for PNG/JPEG, a download for DICOM) and never to cache it.
 */
export const DOWNLOAD_HEADERS = {
  'content-type': Type.Union(ATTACHMENT_TYPES.map((t) => Type.Literal(t))),
  'content-length': Type.String({ pattern: '^[0-9]+$', description: 'Plaintext bytes.' }),
  'content-disposition': Type.String({
    description: `inline (PNG, JPEG) or attachment (DICOM); filename="<ASCII>"; filename*=UTF-8''<percent-encoded>`,
  }),
  'cache-control': Type.Literal('private, no-store'),
  'x-content-type-options': Type.Literal('nosniff'),
};

const tags = ['attachments'];

/** Attachments of imaging records: streaming multipart upload, list, streaming download. */
export const attachmentRoutes = {
  uploadAttachment: route({
    method: 'POST',
    path: '/api/v1/records/:id/attachments',
    tags,
    summary: `Uploads an image to an imaging record (doctor who may write it); multipart field "${ATTACHMENT_FILE_FIELD}".`,
    description:
      `multipart/form-data with one file field "${ATTACHMENT_FILE_FIELD}" of type ${ATTACHMENT_TYPES.join(', ')}; ` +
      'the bytes must match the type (415 otherwise); at most MEDVAULT_ATTACHMENT_LIMIT_MB (413 beyond).',
    params: IdParams,
    multipart: { field: ATTACHMENT_FILE_FIELD, contentTypes: ATTACHMENT_TYPES },
    ok: { 201: Type.Object({ attachment: Attachment }, closed) },
    errors: [401, 403, 404, 409],
  }),
  listAttachments: route({
    method: 'GET',
    path: '/api/v1/records/:id/attachments',
    tags,
    summary: "A record's attachments (decrypted facts, oldest first), for whoever may read the record.",
    params: IdParams,
    ok: { 200: Type.Object({ attachments: Type.Array(Attachment) }, closed) },
    errors: [401, 403, 404, 422],
  }),
  downloadAttachment: route({
    method: 'GET',
    path: '/api/v1/records/:id/attachments/:attachmentId',
    tags,
    summary:
      'Streams an attachment, decrypted (inline for PNG/JPEG, a download for DICOM); the read is in the ledger.',
    description:
      'A failure found in the first chunk answers 422; one found later aborts the connection, so a ' +
      'client never receives altered bytes as a complete file (Content-Length is the plaintext size).',
    params: AttachmentParams,
    ok: {
      200: BinaryBody(ATTACHMENT_TYPES, 'The decrypted file (streamed), as the type it was stored with.'),
    },
    okHeaders: DOWNLOAD_HEADERS,
    errors: [401, 403, 404, 422],
  }),
} as const;
