import type { ReactNode } from 'react';

/** The identity, hint and error every labelled control of a form has. */
export interface FieldFrameProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
}

/**
 * The attributes that tie a control to its field's hint and error for screen readers
 * (aria-describedby) and mark it invalid; spread them onto the `<input>`, `<select>` or
 * `<textarea>` inside a {@link Field}.
 */
export function describedControl(props: FieldFrameProps) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
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
      {props.error && (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
