import { attachmentTypeOf, uploadAttachment, type Attachment } from '../../api/attachments.js';

/** What the file input offers (the server decides; DICOM files often have no MIME type). */
export const ACCEPT_ATTACHMENTS = 'image/png,image/jpeg,application/dicom,.png,.jpg,.jpeg,.dcm';

/** Why the picked files cannot be sent, or undefined. */
export function filesError(files: readonly File[]): string | undefined {
  const wrong = files.find((file) => attachmentTypeOf(file) === undefined);
  if (wrong) return `${wrong.name} is not a PNG, JPEG or DICOM file.`;
  return undefined;
}

export interface UploadState {
  /** 1-based index of the file being sent, and how many there are. */
  readonly index: number;
  readonly count: number;
  readonly filename: string;
  readonly loaded: number;
  readonly total: number;
}

/** Sends the files one after another; stops at the first failure (which it throws). */
export async function uploadFiles(
  recordId: string,
  files: readonly File[],
  onState: (state: UploadState) => void,
  signal?: AbortSignal,
): Promise<Attachment[]> {
  const done: Attachment[] = [];
  for (const [position, file] of files.entries()) {
    const base = { index: position + 1, count: files.length, filename: file.name };
    onState({ ...base, loaded: 0, total: file.size });
    done.push(
      await uploadAttachment(recordId, file, (progress) => onState({ ...base, ...progress }), signal),
    );
  }
  return done;
}
