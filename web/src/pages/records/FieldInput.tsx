import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import type { FieldSpec } from './record-schema.js';
import { TextAreaField } from '../../components/TextAreaField.js';

/** One body field of a record form, drawn from its spec (labels, hints and errors tied to it). */
export function FieldInput(props: {
  readonly spec: FieldSpec;
  readonly idPrefix: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
}) {
  const { spec } = props;
  const id = `${props.idPrefix}-${spec.name}`;
  const common = { id, label: spec.label, value: props.value, onChange: props.onChange, error: props.error };
  switch (spec.kind) {
    case 'textarea':
      return (
        <TextAreaField
          {...common}
          rows={spec.maxLength !== undefined && spec.maxLength > 5000 ? 10 : 4}
          maxLength={spec.maxLength}
          {...(spec.hint ? { hint: spec.hint } : {})}
        />
      );
    case 'select':
      return (
        <SelectField
          {...common}
          placeholder="Choose…"
          options={spec.options ?? []}
          {...(spec.hint ? { hint: spec.hint } : {})}
        />
      );
    case 'number':
      return (
        <TextField
          {...common}
          inputMode={spec.step === 1 ? 'numeric' : 'decimal'}
          autoComplete="off"
          hint={spec.hint ?? rangeHint(spec)}
        />
      );
    case 'date':
      return <TextField {...common} type="date" {...(spec.hint ? { hint: spec.hint } : {})} />;
    case 'datetime':
      return <TextField {...common} type="datetime-local" {...(spec.hint ? { hint: spec.hint } : {})} />;
    case 'text':
      return (
        <TextField
          {...common}
          autoComplete="off"
          maxLength={spec.maxLength}
          counter={spec.maxLength !== undefined && spec.maxLength >= 100}
          {...(spec.hint ? { hint: spec.hint } : {})}
        />
      );
  }
}

function rangeHint(spec: FieldSpec): string | undefined {
  if (spec.min === undefined || spec.max === undefined) return undefined;
  return `${spec.min}–${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`;
}
