import { describedControl, Field } from './Field.js';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export interface SelectFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly options: readonly SelectOption[];
  /** A first, empty choice ("Choose a doctor…"); selecting it means "nothing chosen". */
  readonly placeholder?: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly disabled?: boolean;
}

/** A labelled `<select>` with hint and error tied to it (aria-describedby), like TextField. */
export function SelectField(props: SelectFieldProps) {
  return (
    <Field {...props}>
      <select
        {...describedControl(props)}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        disabled={props.disabled}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
