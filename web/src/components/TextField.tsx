import type { HTMLAttributes } from 'react';
import { describedControl, Field } from './Field.js';

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'password' | 'date' | 'datetime-local';
  readonly autoComplete?: string;
  readonly inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  readonly placeholder?: string;
  readonly maxLength?: number;
  readonly hint?: string;
  readonly error?: string | undefined;
  /** Latest allowed value for date inputs (YYYY-MM-DD or YYYY-MM-DDTHH:mm). */
  readonly max?: string;
  readonly min?: string;
}

/** A labelled input whose hint and error are tied to it for screen readers (aria-describedby). */
export function TextField(props: TextFieldProps) {
  return (
    <Field {...props}>
      <input
        {...describedControl(props)}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        spellCheck={false}
      />
    </Field>
  );
}
