import type { HTMLAttributes } from 'react';
import { characterCount, describedControl, Field } from './Field.js';

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
  /**
   * Show "n of max characters" instead of stopping the typing at maxLength: for prose whose
   * limit a person can reach (names, titles), so a paste is never cut short without a word.
   */
  readonly counter?: boolean;
  readonly hint?: string;
  readonly error?: string | undefined;
  /** Latest allowed value for date inputs (YYYY-MM-DD or YYYY-MM-DDTHH:mm). */
  readonly max?: string;
  readonly min?: string;
}

/** A labelled input whose hint and error are tied to it for screen readers (aria-describedby). */
export function TextField(props: TextFieldProps) {
  const counted = props.counter === true && props.maxLength !== undefined;
  const frame = {
    ...props,
    count: counted ? { length: characterCount(props.value), max: props.maxLength ?? 0 } : undefined,
  };
  return (
    <Field {...frame}>
      <input
        {...describedControl(frame)}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        maxLength={counted ? undefined : props.maxLength}
        min={props.min}
        max={props.max}
        spellCheck={false}
      />
    </Field>
  );
}
