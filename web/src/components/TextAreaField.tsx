import { describedControl, Field } from './Field.js';

/** A labelled `<textarea>` with hint and error tied to it (aria-describedby), like TextField. */
export function TextAreaField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly rows?: number;
  readonly maxLength?: number;
  readonly hint?: string;
  readonly error?: string | undefined;
}) {
  return (
    <Field {...props}>
      <textarea
        {...describedControl(props)}
        className="textarea-prose"
        rows={props.rows ?? 4}
        value={props.value}
        maxLength={props.maxLength}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </Field>
  );
}
