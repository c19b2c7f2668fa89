import { useRef } from 'react';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { ANALYTE_FLAGS, ANALYTES_MAX } from './record-schema.js';
import type { FieldErrors } from '../../validation.js';
import { emptyAnalyte, type AnalyteDraft } from './record-draft.js';

type AnalyteField = Exclude<keyof AnalyteDraft, 'key'>;

/** The analytes of a lab result: one labelled group per row, rows added and removed by button. */
export function AnalyteEditor(props: {
  readonly rows: readonly AnalyteDraft[];
  readonly onChange: (rows: readonly AnalyteDraft[]) => void;
  readonly errors: FieldErrors<string>;
}) {
  const { rows } = props;
  // After a row is removed its button is gone: focus moves to "Add analyte", not to the page.
  const addButton = useRef<HTMLButtonElement>(null);
  const update = (index: number, field: AnalyteField, value: string): void =>
    props.onChange(rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const error = (index: number, field: AnalyteField): string | undefined =>
    props.errors[`analytes.${index}.${field}`];
  return (
    <fieldset className={props.errors.analytes ? 'fieldset field-invalid' : 'fieldset'}>
      <legend>Analytes</legend>
      {props.errors.analytes && (
        <p className="field-error" id="analytes-error">
          {props.errors.analytes}
        </p>
      )}
      {rows.map((row, index) => {
        const id = `analyte-${row.key}`;
        return (
          <fieldset key={row.key} className="fieldset analyte-row">
            <legend>Analyte {index + 1}</legend>
            <div className="form-row analyte-fields">
              <TextField
                id={`${id}-name`}
                label="Name"
                value={row.name}
                onChange={(v) => update(index, 'name', v)}
                error={error(index, 'name')}
                autoComplete="off"
                placeholder="e.g. Hemoglobin"
              />
              <TextField
                id={`${id}-value`}
                label="Value"
                value={row.value}
                onChange={(v) => update(index, 'value', v)}
                error={error(index, 'value')}
                inputMode="decimal"
                autoComplete="off"
              />
              <TextField
                id={`${id}-unit`}
                label="Unit"
                value={row.unit}
                onChange={(v) => update(index, 'unit', v)}
                error={error(index, 'unit')}
                autoComplete="off"
                placeholder="e.g. g/dL"
              />
              <TextField
                id={`${id}-low`}
                label="Reference low"
                value={row.referenceLow}
                onChange={(v) => update(index, 'referenceLow', v)}
                error={error(index, 'referenceLow')}
                inputMode="decimal"
                autoComplete="off"
              />
              <TextField
                id={`${id}-high`}
                label="Reference high"
                value={row.referenceHigh}
                onChange={(v) => update(index, 'referenceHigh', v)}
                error={error(index, 'referenceHigh')}
                inputMode="decimal"
                autoComplete="off"
              />
              <SelectField
                id={`${id}-flag`}
                label="Flag"
                value={row.flag}
                onChange={(v) => update(index, 'flag', v)}
                placeholder="None"
                options={ANALYTE_FLAGS.map((flag) => ({
                  value: flag,
                  label: flag.charAt(0).toUpperCase() + flag.slice(1),
                }))}
                error={error(index, 'flag')}
              />
            </div>
            {rows.length > 1 && (
              <div className="button-row">
                <button
                  type="button"
                  className="button button-danger button-small"
                  onClick={() => {
                    props.onChange(rows.filter((_, i) => i !== index));
                    requestAnimationFrame(() => addButton.current?.focus());
                  }}
                  aria-label={`Remove analyte ${index + 1}`}
                >
                  Remove
                </button>
              </div>
            )}
          </fieldset>
        );
      })}
      {rows.length < ANALYTES_MAX && (
        <div className="button-row">
          <button
            ref={addButton}
            type="button"
            className="button button-secondary button-small"
            onClick={() => props.onChange([...rows, emptyAnalyte()])}
          >
            Add analyte
          </button>
        </div>
      )}
    </fieldset>
  );
}
