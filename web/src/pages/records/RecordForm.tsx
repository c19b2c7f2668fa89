import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../messages.js';
import { createRecord } from '../../api/records.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { InvalidFields, useForm } from '../../forms/useForm.js';
import type { FieldErrors } from '../../validation.js';
import { AnalyteEditor } from './AnalyteEditor.js';
import { FieldInput } from './FieldInput.js';
import { FIELDS, KEYWORD_MAX_LENGTH, KEYWORDS_MAX, TITLE_MAX } from './record-schema.js';
import { checkDraft, emptyDraft, fieldOfServerMessage, type RecordDraft } from './record-draft.js';
import { isWritableType, typeLabel, WRITABLE_TYPES, type WritableType } from './record-types.js';
import { ACCEPT_ATTACHMENTS, filesError, uploadFiles, type UploadState } from './uploads.js';
import { UploadProgress } from './UploadProgress.js';

export interface SavedRecord {
  readonly recordId: string;
  readonly patientId: string;
  readonly type: WritableType;
  /** Set when the record was saved but an image upload then failed. */
  readonly uploadError?: string;
  readonly uploaded: number;
}

export interface RecordFormProps {
  /** Picker mode: the doctor chooses among these patients. Otherwise `patientId` is fixed. */
  readonly patients?: readonly { readonly id: string; readonly fullName: string }[];
  readonly patientId?: string;
  readonly initialType?: WritableType | undefined;
  readonly onSaved: (saved: SavedRecord) => void;
}

const ID = 'rec';

interface Values {
  readonly patient: string;
  readonly type: string;
  readonly draft: RecordDraft;
  readonly files: readonly File[];
}

/**
 * A new record of any type a doctor writes: kind, title, the type's own fields (checked here as
 * the server checks them, errors next to each field, focus on the first), keywords for search,
 * and for imaging studies the images, sent after the record with a progress bar.
 */
export function RecordForm(props: RecordFormProps) {
  const [progress, setProgress] = useState<UploadState>();
  const controller = useRef<AbortController>(undefined);
  const formElement = useRef<HTMLFormElement>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const form = useForm<Values, string>({
    initial: () => ({
      patient: props.patientId ?? '',
      type: props.initialType ?? '',
      draft: emptyDraft(),
      files: [],
    }),
    validate: ({ patient, type, draft, files }) => {
      const found: Record<string, string> = {};
      if (props.patients && patient === '') found.patient = 'Choose a patient.';
      if (!isWritableType(type)) found.type = 'Choose the kind of record.';
      else Object.assign(found, checkDraft(type, draft).errors);
      if (type === 'imaging') {
        const problem = filesError(files);
        if (problem) found.files = problem;
      }
      return found;
    },
    onSubmit: async ({ patient: patientId, type, draft, files }) => {
      const writable = isWritableType(type) ? type : undefined;
      const record = writable ? checkDraft(writable, draft).record : undefined;
      if (!writable || !record) throw new Error('Check the form.');

      let recordId: string;
      try {
        const created = await createRecord(patientId, {
          type: writable,
          title: record.title,
          body: record.body,
          ...(record.keywords.length > 0 ? { keywords: [...record.keywords] } : {}),
        });
        recordId = created.id;
      } catch (error) {
        // A 400 that names a field is shown beside that field as well as above the form.
        const message = describeError(error);
        const field =
          error instanceof ApiError && error.status === 400
            ? fieldOfServerMessage(writable, error.message)
            : undefined;
        if (field) throw new InvalidFields({ [field]: message }, true);
        throw error;
      }

      let uploadError: string | undefined;
      let uploaded = 0;
      if (writable === 'imaging' && files.length > 0) {
        const abort = new AbortController();
        controller.current = abort;
        try {
          uploaded = (await uploadFiles(recordId, files, setProgress, abort.signal)).length;
        } catch (error) {
          // Aborted because the page went away: nobody is left to tell.
          if (abort.signal.aborted && !formElement.current?.isConnected) return;
          uploadError = describeError(error);
        }
      }
      props.onSaved({
        recordId,
        patientId,
        type: writable,
        uploaded,
        ...(uploadError ? { uploadError } : {}),
      });
    },
    // The form gives way to the record it saved.
    leavesOnSuccess: true,
  });
  const busy = form.submitting;
  const { errors } = form;
  const { type, draft } = form.values;
  const writable = isWritableType(type) ? type : undefined;
  const setDraft = (update: (draft: RecordDraft) => RecordDraft): void => form.updateValue('draft', update);
  const setValue = (name: string, value: string): void =>
    setDraft((d) => ({ ...d, values: { ...d.values, [name]: value } }));

  const typeOptions = WRITABLE_TYPES.map((value) => ({ value, label: typeLabel(value) }));
  return (
    <form
      ref={formElement}
      className="form record-form"
      noValidate
      onSubmit={form.handleSubmit}
      aria-busy={busy}
    >
      {props.patients && (
        <SelectField
          id={`${ID}-patient`}
          label="Patient"
          value={form.values.patient}
          onChange={(value) => form.setValue('patient', value)}
          placeholder={props.patients.length === 0 ? 'No patients yet' : 'Choose a patient…'}
          options={props.patients.map((p) => ({ value: p.id, label: p.fullName }))}
          error={errors.patient}
          disabled={busy}
        />
      )}
      <SelectField
        id={`${ID}-type`}
        label="Kind of record"
        value={type}
        onChange={(value) => {
          form.setValue('type', value);
          form.setErrors({});
        }}
        placeholder="Choose…"
        options={typeOptions}
        error={errors.type}
        disabled={busy}
      />
      {writable && (
        <>
          <TextField
            id={`${ID}-title`}
            label="Title"
            value={draft.title}
            onChange={(title) => setDraft((d) => ({ ...d, title }))}
            maxLength={TITLE_MAX}
            autoComplete="off"
            hint="Shown in record lists. Stored encrypted, like everything below."
            error={errors.title}
          />
          <TypeFields type={writable} draft={draft} errors={errors} setValue={setValue} setDraft={setDraft} />
          <TextField
            id={`${ID}-keywords`}
            label="Keywords (optional)"
            value={draft.keywords}
            onChange={(keywords) => setDraft((d) => ({ ...d, keywords }))}
            autoComplete="off"
            hint={`Separate with commas; up to ${KEYWORDS_MAX}, each at most ${KEYWORD_MAX_LENGTH} characters. Doctors find the record by these.`}
            error={errors.keywords}
          />
          {writable === 'imaging' && (
            <div className={errors.files ? 'field field-invalid' : 'field'}>
              <label htmlFor={`${ID}-files`}>Images (optional)</label>
              <input
                id={`${ID}-files`}
                type="file"
                multiple
                accept={ACCEPT_ATTACHMENTS}
                disabled={busy}
                onChange={(event) => form.setValue('files', Array.from(event.target.files ?? []))}
                aria-invalid={errors.files ? true : undefined}
                aria-describedby={`${ID}-files-hint${errors.files ? ` ${ID}-files-error` : ''}`}
              />
              <p id={`${ID}-files-hint`} className="field-hint">
                PNG, JPEG or DICOM. Sent after the record is saved; you can add more later.
              </p>
              {errors.files && (
                <p id={`${ID}-files-error`} className="field-error">
                  {errors.files}
                </p>
              )}
            </div>
          )}
        </>
      )}
      {progress && <UploadProgress state={progress} />}
      <FormAlert title="Could not save the record." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {progress ? 'Uploading…' : busy ? 'Saving…' : 'Save record'}
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

function TypeFields(props: {
  readonly type: WritableType;
  readonly draft: RecordDraft;
  readonly errors: FieldErrors<string>;
  readonly setValue: (name: string, value: string) => void;
  readonly setDraft: (update: (draft: RecordDraft) => RecordDraft) => void;
}) {
  const { type, draft, errors } = props;
  const specs = FIELDS[type];
  const render = (list: typeof specs) =>
    list.map((spec) => (
      <FieldInput
        key={spec.name}
        spec={spec}
        idPrefix={ID}
        value={draft.values[spec.name] ?? ''}
        onChange={(value) => props.setValue(spec.name, value)}
        error={errors[spec.name]}
      />
    ));
  const short = specs.filter((spec) => spec.short);
  const long = specs.filter((spec) => !spec.short);
  if (type === 'vitals') {
    return (
      <fieldset
        className={errors.vitals ? 'fieldset field-invalid' : 'fieldset'}
        aria-describedby={errors.vitals ? 'vitals-error' : undefined}
      >
        <legend>Measurements</legend>
        <p className="field-hint">Enter at least one.</p>
        {errors.vitals && (
          <p id="vitals-error" className="field-error">
            {errors.vitals}
          </p>
        )}
        <div className="form-row">{render(specs)}</div>
      </fieldset>
    );
  }
  return (
    <>
      {short.length > 0 && <div className="form-row">{render(short)}</div>}
      {type === 'lab_result' && (
        <AnalyteEditor
          rows={draft.analytes}
          errors={errors}
          onChange={(analytes) => props.setDraft((d) => ({ ...d, analytes }))}
        />
      )}
      {render(long)}
    </>
  );
}
