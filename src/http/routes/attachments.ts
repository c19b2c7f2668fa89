import multipart from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { invalidInput, unsupportedMediaType } from '../../app/errors.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { IdField, PatientParams } from './patients.js';
import { ATTACHMENT_TYPES, type IncomingFile } from '../../app/records/index.js';

const RecordParams = PatientParams;
const AttachmentParams = Type.Object({ id: IdField, attachmentId: IdField }, { additionalProperties: false });
type AttachmentParams = Static<typeof AttachmentParams>;

const Attachment = Type.Object(
  {
    id: Type.String(),
    recordId: Type.String(),
    contentType: Type.Union(ATTACHMENT_TYPES.map((t) => Type.Literal(t))),
    fileName: Type.String(),
    size: Type.Integer({ description: 'Plaintext bytes.' }),
    sha256: Type.String({ description: 'SHA-256 of the plaintext, lowercase hex.' }),
    createdAt: Type.Integer({ description: 'Epoch milliseconds.' }),
  },
  { additionalProperties: false, title: 'Attachment' },
);

/** The one file field an upload carries. */
const FILE_FIELD = 'file';

/**
 * `inline|attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC 6266): the
 * quoted form for old clients, with anything outside printable ASCII (and quotes, backslashes)
 * replaced, so a name can never end the header or start another parameter.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Attachments of imaging records: streaming multipart upload, list, streaming download. Thin:
 * the Attachments service checks access before it asks for the file's bytes, and checks type,
 * size and integrity itself. Multipart parsing is registered here only, so no other route
 * accepts multipart bodies.
 */
export async function attachmentRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  await app.register(multipart, {
    limits: {
      // One byte over the limit reaches the service, which answers 413 (busboy would truncate).
      fileSize: ctx.config.attachmentLimitBytes + 1,
      files: 1,
      fields: 10,
      fieldSize: 1024,
      parts: 11,
      headerPairs: 20,
    },
  });

  app.post<{ Params: Static<typeof RecordParams> }>(
    '/api/v1/records/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Uploads an image to an imaging record (doctor who may write it); multipart field "file".',
        description:
          'multipart/form-data with one file field "file" of type image/png, image/jpeg or application/dicom; ' +
          `the bytes must match the type (415 otherwise); at most MEDVAULT_ATTACHMENT_LIMIT_MB (413 beyond).`,
        consumes: ['multipart/form-data'],
        params: RecordParams,
        response: {
          201: Type.Object({ attachment: Attachment }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const scope = requireScope(request);
      const receive = async (): Promise<IncomingFile> => {
        if (!request.isMultipart()) throw unsupportedMediaType('Send the file as multipart/form-data.');
        const part = await request.file();
        if (part === undefined) throw invalidInput(`body/${FILE_FIELD}: a file is required.`);
        if (part.fieldname !== FILE_FIELD) {
          part.file.destroy();
          throw invalidInput(`body/${FILE_FIELD}: the file field must be named "${FILE_FIELD}".`);
        }
        return { fileName: part.filename, contentType: part.mimetype, content: part.file };
      };
      try {
        const attachment = await ctx.records.attachments.upload(scope, request.params.id, receive);
        return await reply.code(201).send({ attachment });
      } catch (err) {
        // Refused mid-body (415, 413…): the rest of the body was never read, so this connection
        // cannot carry another request. Close it after the answer rather than read the rest.
        if (!request.raw.complete) void reply.header('connection', 'close');
        throw err;
      }
    },
  );

  app.get<{ Params: Static<typeof RecordParams> }>(
    '/api/v1/records/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: "A record's attachments (decrypted facts, oldest first), for whoever may read the record.",
        params: RecordParams,
        response: {
          200: Type.Object({ attachments: Type.Array(Attachment) }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request) => ({
      attachments: await ctx.records.attachments.list(requireScope(request), request.params.id),
    }),
  );

  app.get<{ Params: AttachmentParams }>(
    '/api/v1/records/:id/attachments/:attachmentId',
    {
      // A HEAD would open, verify and log a read that never happens.
      exposeHeadRoute: false,
      schema: {
        tags: ['attachments'],
        summary:
          'Streams an attachment, decrypted (inline for PNG/JPEG, a download for DICOM); the read is in the ledger.',
        description:
          'A failure found in the first chunk answers 422; one found later aborts the connection, so a ' +
          'client never receives altered bytes as a complete file (Content-Length is the plaintext size).',
        params: AttachmentParams,
        response: {
          200: {
            description: 'The decrypted file (streamed), as the type it was stored with.',
            content: Object.fromEntries(
              ATTACHMENT_TYPES.map((t) => [t, { schema: Type.String({ format: 'binary' }) }]),
            ),
          },
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { id, attachmentId } = request.params;
      const download = await ctx.records.attachments.open(requireScope(request), id, attachmentId);
      const { attachment } = download;
      return reply
        .header('content-type', attachment.contentType)
        .header('content-length', String(attachment.size))
        .header('content-disposition', contentDisposition(download.disposition, attachment.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(download.content);
    },
  );
}
