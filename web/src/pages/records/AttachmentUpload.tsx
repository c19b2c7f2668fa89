import { useEffect, useRef, useState } from 'react';
import type { Attachment } from '../../api/attachments.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useForm } from '../../forms/useForm.js';
import { ACCEPT_ATTACHMENTS, filesError, uploadFiles, type UploadState } from './uploads.js';
import { UploadProgress } from './UploadProgress.js';

/** A doctor adds images to an existing record: pick, send with progress, cancel. */
export function AttachmentUpload(props: {
  readonly recordId: string;
  readonly onUploaded: (attachments: readonly Attachment[]) => Promise<void>;
}) {
  const [progress, setProgress] = useState<UploadState>();
  const [notice, setNotice] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  const controller = useRef<AbortController>(undefined);
  useEffect(() => () => controller.current?.abort(), []);
  const form = useForm<{ readonly files: readonly File[] }, 'files'>({
    initial: { files: [] },
    validate: ({ files }) => ({
      files: files.length === 0 ? 'Choose one or more images.' : filesError(files),
    }),
    onSubmit: async ({ files }, { reset }) => {
      const abort = new AbortController();
      controller.current = abort;
      try {
        const done = await uploadFiles(props.recordId, files, setProgress, abort.signal);
        reset();
        if (input.current) input.current.value = '';
        setNotice(done.length === 1 ? 'The image was added.' : `${done.length} images were added.`);
        await props.onUploaded(done);
      } catch (error) {
        if (!abort.signal.aborted) throw error;
        setNotice('Upload cancelled.');
      } finally {
        setProgress(undefined);
      }
    },
  });
  const fieldError = form.errors.files;

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        setNotice(undefined);
        form.handleSubmit(event);
      }}
      aria-busy={progress !== undefined}
    >
      <div className={fieldError ? 'field field-invalid' : 'field'}>
        <label htmlFor="attachment-files">Add images</label>
        <input
          ref={input}
          id="attachment-files"
          type="file"
          multiple
          accept={ACCEPT_ATTACHMENTS}
          disabled={progress !== undefined}
          onChange={(event) => {
            form.setValue('files', Array.from(event.target.files ?? []));
            form.setErrors({});
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={
            fieldError ? 'attachment-files-hint attachment-files-error' : 'attachment-files-hint'
          }
        />
        <p id="attachment-files-hint" className="field-hint">
          PNG or JPEG images are shown here; DICOM files can be downloaded. They are stored encrypted.
        </p>
        {fieldError && (
          <p id="attachment-files-error" className="field-error">
            {fieldError}
          </p>
        )}
      </div>
      {progress && <UploadProgress state={progress} />}
      <p className="notice-region" role="status" aria-live="polite">
        {notice}
      </p>
      <FormAlert title="Could not upload." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={progress !== undefined}>
          {progress ? 'Uploading…' : 'Upload'}
        </button>
        {progress && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => controller.current?.abort()}
          >
            Cancel upload
          </button>
        )}
      </div>
    </form>
  );
}
