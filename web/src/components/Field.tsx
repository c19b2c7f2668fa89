import type { ReactNode } from 'react';

/** The identity, hint and error every labelled control of a form has. */
export interface FieldFrameProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  /** The value's length against the server's limit: shown as a counter under the control. */
  readonly count?: { readonly length: number; readonly max: number } | undefined;
}

/** Characters as the server counts them (code points, not UTF-16 units). */
export function characterCount(value: string): number {
  return [...value].length;
}

/**
 * The attributes that tie a control to its field's hint and error for screen readers
 * (aria-describedby) and mark it invalid; spread them onto the `<input>`, `<select>` or
 * `<textarea>` inside a {@link Field}.
 */
export function describedControl(props: FieldFrameProps) {
  const describedBy = [
    props.hint ? `${props.id}-hint` : '',
    props.count ? `${props.id}-count` : '',
    props.error ? `${props.id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    id: props.id,
    name: props.id,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}

/** A field: its label, the control (children), then its hint and its error. */
export function Field(props: FieldFrameProps & { readonly children: ReactNode }) {
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.count && <Counter id={`${props.id}-count`} {...props.count} />}
      {props.error && (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * "1,234 of 20,000 characters": the field's limit, from the contract, and how much is used. Past
 * the limit it says by how much, so a long paste is never cut without a word (issue 20).
 */
function Counter(props: { readonly id: string; readonly length: number; readonly max: number }) {
  const over = props.length - props.max;
  const number = (n: number): string => n.toLocaleString('en-US');
  return (
    <p id={props.id} className={over > 0 ? 'field-count field-count-over' : 'field-count'}>
      {number(props.length)} of {number(props.max)} characters
      {over > 0 && ` — ${number(over)} too many`}
    </p>
  );
}
