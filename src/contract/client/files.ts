import type { Attachment } from '../api/attachments.js';
import { API_ROUTES } from '../api/routes.js';
import { isAttachmentType, type AttachmentType } from '../vocabulary/attachments.js';
import type { MedVaultClient } from './client.js';
import { ContractMismatch, NetworkError } from './errors.js';

/**
 * Attachments travel as files, not JSON: a multipart upload and a streamed download. Their
 * error answers are checked like any other (the same ApiError), and a download is refused
 * unless it is a declared type and exactly as long as the server said.
 */

/**
 * Uploads a file to an imaging record (field and types from the contract).
 * @throws ApiError (413 too large, 415 not the declared type…), ContractMismatch, NetworkError.
 */
export async function uploadAttachment(
  client: MedVaultClient,
  recordId: string,
  file: Blob,
  fileName: string,
): Promise<Attachment> {
  const form = new FormData();
  form.append(API_ROUTES.uploadAttachment.multipart.field, file, fileName);
  const response = await client.fetchRoute('uploadAttachment', { params: { id: recordId } }, form);
  const answer = await client.readAnswer('uploadAttachment', response);
  if (!answer.ok) throw answer.error;
  return answer.body.attachment;
}

export interface DownloadedFile {
  readonly bytes: Uint8Array;
  readonly contentType: AttachmentType;
  /** From Content-Disposition (the UTF-8 form when given), or null. */
  readonly fileName: string | null;
}

/** The file name a Content-Disposition header gives (RFC 6266: `filename*` first). */
export function fileNameOf(disposition: string | null): string | null {
  if (disposition === null) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // fall through to the plain form
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
}

/**
 * Downloads an attachment's bytes.
 * @throws ApiError (404, 422 integrity…); ContractMismatch for a type the contract does not
 *   declare or fewer or more bytes than Content-Length said; NetworkError when the connection
 *   breaks (the server aborts a file whose later chunks fail their integrity check).
 */
export async function downloadAttachment(
  client: MedVaultClient,
  params: { readonly id: string; readonly attachmentId: string },
): Promise<DownloadedFile> {
  const name = 'downloadAttachment';
  const response = await client.fetchRoute(name, { params });
  if (response.status !== 200) {
    const answer = await client.readAnswer(name, response);
    // A declared success other than 200 does not exist for this route; readAnswer refused it.
    if (!answer.ok) throw answer.error;
    throw new ContractMismatch(name, response.status, '(status)', 'is not the file answer');
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!isAttachmentType(contentType))
    throw new ContractMismatch(
      name,
      200,
      'content-type',
      `"${contentType}" is not a declared attachment type`,
    );
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new NetworkError(name, cause);
  }
  const length = response.headers.get('content-length');
  if (length !== null && Number(length) !== bytes.length)
    throw new ContractMismatch(name, 200, 'content-length', `says ${length} bytes, ${bytes.length} arrived`);
  return { bytes, contentType, fileName: fileNameOf(response.headers.get('content-disposition')) };
}
