import multipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { invalidInput, unsupportedMediaType } from '../../app/errors.js';
import type { IncomingFile } from '../../app/records/index.js';
import { attachmentRoutes as CONTRACT } from '../../contract/api/attachments.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute, type ContractReply, type ContractRequest } from '../contract-route.js';
import { idempotent } from '../idempotency.js';

/** The one file field an upload carries. */
const FILE_FIELD = CONTRACT.uploadAttachment.multipart.field;

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

  contractRoute(app, CONTRACT.uploadAttachment, {}, async (request, reply) =>
    idempotent(ctx, request, reply, async () => upload(request, reply)),
  );

  async function upload(
    request: ContractRequest<typeof CONTRACT.uploadAttachment>,
    reply: ContractReply<typeof CONTRACT.uploadAttachment>,
  ): Promise<FastifyReply> {
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
  }

  contractRoute(app, CONTRACT.listAttachments, {}, async (request) => ({
    attachments: await ctx.records.attachments.list(requireScope(request), request.params.id),
  }));

  // A HEAD would open, verify and log a read that never happens.
  contractRoute(app, CONTRACT.downloadAttachment, { exposeHeadRoute: false }, async (request, reply) => {
    const { id, attachmentId } = request.params;
    const download = await ctx.records.attachments.open(requireScope(request), id, attachmentId);
    const { attachment } = download;
    void reply
      .header('content-type', attachment.contentType)
      .header('content-length', String(attachment.size))
      .header('content-disposition', contentDisposition(download.disposition, attachment.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.code(200).send(download.content);
  });
}
