/**
 * What an attachment may be. Only image formats a viewer needs are accepted: PNG and JPEG (shown
 * inline) and DICOM (offered as a download), so nothing uploaded can be served back as HTML or
 * script. The server checks the bytes against the type (src/app/records/attachment-content.ts).
 */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'application/dicom'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const isAttachmentType = (value: string): value is AttachmentType =>
  (ATTACHMENT_TYPES as readonly string[]).includes(value);

/** The multipart field an upload carries its one file in. */
export const ATTACHMENT_FILE_FIELD = 'file';
