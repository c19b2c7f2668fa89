/**
 * A record's attachments (X-ray images and other studies): list, upload with progress, and the
 * bytes for display. Bytes are fetched with the session cookie and shown from a blob: URL, so an
 * image is never cached under a URL another page could load.
 */
import {
  API_BASE,
  ApiError,
  apiGet,
  CSRF_HEADER,
  fallbackMessage,
  isRecord,
  parseErrorBody,
  segment,
} from './client.js';
import { firstText, idOf, listOf, malformed, parseEach, timeOf, unwrap } from './parse.js';

/** What the server stores: PNG and JPEG are shown inline, DICOM is offered as a download. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'application/dicom'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg'];

export interface Attachment {
  readonly id: string;
  readonly recordId: string;
  readonly contentType: string;
  readonly filename: string;
  readonly size: number | undefined;
  readonly sha256: string | undefined;
  readonly createdAt: number | undefined;
}

function parseAttachment(item: unknown): Attachment | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.attachmentId);
  const recordId = idOf(item.recordId);
  if (id === undefined || recordId === undefined) return undefined;
  return {
    id,
    recordId,
    contentType: firstText(item, 'contentType', 'mimeType') ?? 'application/octet-stream',
    filename: firstText(item, 'fileName', 'filename', 'name') ?? `attachment-${id}`,
    size: typeof item.size === 'number' && Number.isFinite(item.size) ? item.size : undefined,
    sha256: firstText(item, 'sha256'),
    createdAt: timeOf(item.createdAt),
  };
}

export function attachmentPath(recordId: string, attachmentId: string): string {
  return `${API_BASE}/records/${segment(recordId)}/attachments/${segment(attachmentId)}`;
}

/** GET /records/:id/attachments */
export async function listAttachments(recordId: string): Promise<Attachment[]> {
  return parseEach(
    listOf(await apiGet(`/records/${segment(recordId)}/attachments`), 'attachments'),
    parseAttachment,
  );
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

/**
 * POST /records/:id/attachments as multipart (field `file`) with XMLHttpRequest, whose upload
 * events report progress (fetch has none). Sends the CSRF header like every other write.
 * Rejects with ApiError (413 too large, 415 wrong type, 0 network, "aborted" when cancelled).
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
  form.append('file', labelled, file.name);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/records/${segment(recordId)}/attachments`);
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      const parsed = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(parseErrorBody(xhr.status, parsed));
        return;
      }
      const attachment = parseAttachment(unwrap(parsed, 'attachment'));
      if (attachment) resolve(attachment);
      else reject(malformed('answer to the upload'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', fallbackMessage(0)));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    if (signal) {
      if (signal.aborted) {
        reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/** The attachment's bytes, fetched with the session cookie (never cached by the browser). */
export async function fetchAttachmentBlob(
  recordId: string,
  attachmentId: string,
  signal?: AbortSignal,
): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(attachmentPath(recordId, attachmentId), {
      credentials: 'same-origin',
      cache: 'no-store',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', fallbackMessage(0));
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw parseErrorBody(response.status, parseJson(text));
  }
  return response.blob();
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
