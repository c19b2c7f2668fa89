/**
 * A record's attachments (X-ray images and other studies): list, upload with progress, and the
 * bytes for display. Bytes are fetched with the session cookie and shown from a blob: URL, so an
 * image is never cached under a URL another page could load.
 */
import { checkAnswer, downloadAttachment, routePath } from '../../../src/contract/client/index.js';
import {
  ATTACHMENT_FILE_FIELD,
  ATTACHMENT_TYPES,
  type AttachmentType,
} from '../../../src/contract/vocabulary/attachments.js';
import {
  api,
  ContractMismatch,
  CSRF_HEADER,
  NetworkError,
  UploadCancelled,
  type RouteOutput,
} from './client.js';

export { ATTACHMENT_TYPES, type AttachmentType };

export type Attachment = RouteOutput<'listAttachments'>['attachments'][number];

/** What is shown inline (PNG, JPEG); the other types (DICOM) are offered as a download. */
export const INLINE_IMAGE_TYPES: readonly AttachmentType[] = ['image/png', 'image/jpeg'];

/** The URL of an attachment's bytes (a download link; the session cookie goes with it). */
export function attachmentPath(recordId: string, attachmentId: string): string {
  return routePath('downloadAttachment', { id: recordId, attachmentId });
}

/** GET /records/:id/attachments */
export async function listAttachments(recordId: string): Promise<Attachment[]> {
  return (await api.call('listAttachments', { params: { id: recordId } })).attachments;
}

/** The content type the server expects for a picked file, or undefined when it takes none of it. */
export function attachmentTypeOf(file: {
  readonly name: string;
  readonly type: string;
}): AttachmentType | undefined {
  const declared = ATTACHMENT_TYPES.find((type) => type === file.type);
  if (declared) return declared;
  const name = file.name.toLowerCase();
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.jpg') || name.endsWith('.jpeg')) return 'image/jpeg';
  // Browsers know no MIME type for DICOM files; the extension (or none, as scanners write them) says it.
  if (name.endsWith('.dcm') || name.endsWith('.dicom') || file.type === 'application/dicom')
    return 'application/dicom';
  return undefined;
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

function parseJson(status: number, text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ContractMismatch('uploadAttachment', status, '(body)', 'is not valid JSON');
  }
}

/**
 * POST /records/:id/attachments as multipart with XMLHttpRequest, whose upload events report
 * progress (fetch has none). Sends the CSRF header like every other write; the answer is checked
 * with the contract's `checkAnswer`, as the client checks its own.
 * Rejects with ApiError (413 too large, 415 wrong type…), ContractMismatch, NetworkError, or
 * UploadCancelled.
 */
export function uploadAttachment(
  recordId: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  const type = attachmentTypeOf(file) ?? file.type;
  // Re-label the bytes with the type the server checks (a .dcm file arrives without one).
  const labelled = file.type === type ? file : new File([file], file.name, { type });
  const form = new FormData();
  form.append(ATTACHMENT_FILE_FIELD, labelled, file.name);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', routePath('uploadAttachment', { id: recordId }));
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      try {
        const answer = checkAnswer('uploadAttachment', xhr.status, parseJson(xhr.status, xhr.responseText));
        if (answer.ok) resolve(answer.body.attachment);
        else reject(answer.error);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new NetworkError('uploadAttachment', new Error('XMLHttpRequest failed')));
    xhr.onabort = () => reject(new UploadCancelled());
    if (signal) {
      if (signal.aborted) {
        reject(new UploadCancelled());
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/**
 * The attachment's bytes, fetched with the session cookie by the contract client (a declared
 * type, exactly Content-Length bytes; the server says never to cache them).
 */
export async function fetchAttachmentBlob(recordId: string, attachmentId: string): Promise<Blob> {
  const file = await downloadAttachment(api, { id: recordId, attachmentId });
  return new Blob([file.bytes.slice()], { type: file.contentType });
}
