import { TextField, type TextFieldProps } from './TextField.js';

/** What `form.field(name)` gives: the value, its change handler and its error. */
type BoundField = Pick<TextFieldProps, 'value' | 'onChange' | 'error'>;

/** The SSN as every form asks for it: digits keyboard, the 123-45-6789 shape, never autofilled. */
export function SsnField(props: BoundField & { readonly id: string }) {
  return (
    <TextField
      label="Social Security number"
      {...props}
      autoComplete="off"
      inputMode="numeric"
      placeholder="123-45-6789"
      maxLength={11}
    />
  );
}

/**
 * A 6-digit PIN: masked, digits keyboard. `choosing` marks a new PIN (a password manager may offer
 * to save it); an existing one is never autofilled.
 */
export function PinField(
  props: BoundField & {
    readonly id: string;
    readonly label: string;
    readonly hint?: string;
    readonly choosing?: boolean;
  },
) {
  const { choosing, ...field } = props;
  return (
    <TextField
      type="password"
      {...field}
      autoComplete={choosing === true ? 'new-password' : 'off'}
      inputMode="numeric"
      maxLength={6}
    />
  );
}

/** A new PIN and its repeat, as enrolment and PIN recovery ask for them. */
export function NewPinFields(props: {
  readonly idPrefix: string;
  readonly label: string;
  readonly pin: BoundField;
  readonly repeat: BoundField;
}) {
  return (
    <>
      <PinField
        id={`${props.idPrefix}-pin`}
        label={props.label}
        {...props.pin}
        choosing
        hint="Exactly 6 digits."
      />
      <PinField id={`${props.idPrefix}-repeat-pin`} label="Repeat PIN" {...props.repeat} choosing />
    </>
  );
}
