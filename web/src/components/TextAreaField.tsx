import { characterCount, describedControl, Field } from './Field.js';

/**
 * A labelled `<textarea>` with hint and error tied to it (aria-describedby), like TextField. With
 * maxLength it counts characters against the limit and lets a longer text stand (the form's check
 * says it is too long): a browser's maxlength would cut a paste short without a word.
 */
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
  const frame = {
    ...props,
    count:
      props.maxLength === undefined
        ? undefined
        : { length: characterCount(props.value), max: props.maxLength },
  };
  return (
    <Field {...frame}>
      <textarea
        {...describedControl(frame)}
        className="textarea-prose"
        rows={props.rows ?? 4}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </Field>
  );
}
