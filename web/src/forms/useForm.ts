import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.js';
import { confirmIdentity } from '../identity-guard.js';
import { setUnsaved } from './unsaved.js';
import { describeError, schemaFailureField } from '../messages.js';
import { focusFirstInvalid } from '../focus.js';
import { hasErrors, type FieldErrors } from '../validation.js';

/**
 * Thrown by a submit handler for a problem that belongs beside fields, not above the form: a key
 * file that does not parse, a server refusal that names a field. The form shows the messages on
 * those fields and moves focus to the first; with `alert` the message also goes in the form's
 * alert.
 */
export class InvalidFields<K extends string = string> extends Error {
  override readonly name = 'InvalidFields';
  constructor(
    readonly errors: FieldErrors<K>,
    readonly alert = false,
  ) {
    super(Object.values<string | undefined>(errors).find(Boolean) ?? 'Check the form.');
  }
}

export interface FormHelpers<V> {
  readonly setValue: <F extends keyof V>(field: F, value: V[F]) => void;
  readonly updateValue: <F extends keyof V>(field: F, update: (previous: V[F]) => V[F]) => void;
  /** Back to the initial values (after a success that keeps the form for the next entry). */
  readonly reset: () => void;
}

export interface FormOptions<V, K extends string> {
  readonly initial: V | (() => V);
  /** The checks run on submit, before anything is sent: a message per failing field. */
  readonly validate?: (values: V) => FieldErrors<K>;
  /** Sends the values; a throw becomes the form's alert (or field errors, see InvalidFields). */
  readonly onSubmit: (values: V, helpers: FormHelpers<V>) => Promise<void> | void;
  /** How a failure reads in the alert; the server's message (describeError) by default. */
  readonly describe?: (error: unknown) => string;
  /**
   * The form gives way to something else once it succeeded (a one-time secret, the page it
   * made): it stays busy until then, so it cannot be sent twice.
   */
  readonly leavesOnSuccess?: boolean;
  /**
   * Whether changed values are work that leaving would lose (./unsaved.ts asks first). On by
   * default; off for sign-in, search and filter forms, whose values are not work.
   */
  readonly unsavedWork?: boolean;
}

type StringField<V> = { [F in keyof V]: V[F] extends string ? F : never }[keyof V] & string;

export interface Form<V, K extends string> {
  readonly values: V;
  readonly errors: FieldErrors<K>;
  /** True from a submit that passed the checks until its handler settles. */
  readonly submitting: boolean;
  /** The form-level message of the last failed submit (for FormAlert). */
  readonly serverError: string | undefined;
  readonly setValue: <F extends keyof V>(field: F, value: V[F]) => void;
  /** For a value built from its previous state (an object of sub-fields, a list of rows). */
  readonly updateValue: <F extends keyof V>(field: F, update: (previous: V[F]) => V[F]) => void;
  readonly setErrors: (errors: FieldErrors<K>) => void;
  readonly reset: () => void;
  /** Value, change handler and error for a text or select field: `<TextField {...form.field('ssn')} />`. */
  readonly field: <F extends StringField<V>>(
    name: F,
  ) => { value: string; onChange: (value: string) => void; error: string | undefined };
  /** The `<form onSubmit>`: prevents the page load, checks, then sends (once at a time). */
  readonly handleSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * The state every form has: its field values, a message per invalid field, whether it is being
 * sent, and the server's answer when that failed. On submit it runs `validate`; with errors it
 * shows them and focuses the first invalid field (WCAG 3.3.1), otherwise it runs `onSubmit`
 * with the alert cleared and the form busy.
 */
export function useForm<V extends object, K extends string = StringField<V>>(
  options: FormOptions<V, K>,
): Form<V, K> {
  const [values, setValues] = useState<V>(options.initial);
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string>();
  // Guards against a second submit before React has re-rendered the disabled button.
  const inFlight = useRef(false);

  // Unsaved work: values differ from those the form started with or last sent successfully.
  const formId = useId();
  const [baseline, setBaseline] = useState(() => JSON.stringify(values));
  const unsaved = options.unsavedWork !== false && JSON.stringify(values) !== baseline;
  useEffect(() => {
    setUnsaved(formId, unsaved);
    return () => setUnsaved(formId, false);
  }, [formId, unsaved]);

  const updateValue = <F extends keyof V>(field: F, update: (previous: V[F]) => V[F]): void =>
    setValues((current) => ({ ...current, [field]: update(current[field]) }));
  const setValue = <F extends keyof V>(field: F, value: V[F]): void => updateValue(field, () => value);
  const resetCalled = useRef(false);
  // The form whose first invalid field takes focus once React has drawn the errors and the
  // fields are enabled again (focusing before that commit raced with the re-render under load).
  const focusAfterRender = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    const form = focusAfterRender.current;
    if (form === null || submitting) return;
    focusAfterRender.current = null;
    focusFirstInvalid(form);
  });
  const reset = (): void => {
    const initial = typeof options.initial === 'function' ? (options.initial as () => V)() : options.initial;
    resetCalled.current = true;
    setValues(initial);
    setBaseline(JSON.stringify(initial));
  };

  async function send(form: HTMLFormElement): Promise<void> {
    let succeeded = false;
    try {
      // Never act as someone else: the session may have changed in another tab (issue 20).
      await confirmIdentity();
      setUnsaved(formId, false); // a page the handler opens after a save must not ask
      resetCalled.current = false;
      await options.onSubmit(values, { setValue, updateValue, reset });
      succeeded = true;
      if (!resetCalled.current) setBaseline(JSON.stringify(values));
    } catch (error) {
      if (error instanceof InvalidFields) {
        setErrors(error.errors as FieldErrors<K>);
        if (error.alert) setServerError(error.message);
        focusAfterRender.current = form;
      } else {
        const message = (options.describe ?? describeError)(error);
        setServerError(message);
        // A schema refusal that names one of this form's fields goes beside it too, with focus.
        const field = error instanceof ApiError ? schemaFailureField(error.message) : undefined;
        if (field !== undefined && field in values) {
          setErrors({ [field]: describeError(error) } as FieldErrors<K>);
          focusAfterRender.current = form;
        }
      }
    } finally {
      if (!succeeded) setUnsaved(formId, unsaved); // nothing was saved: still ask before leaving
      if (!succeeded || !options.leavesOnSuccess) {
        inFlight.current = false;
        setSubmitting(false);
      }
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (inFlight.current) return;
    const form = event.currentTarget;
    const found = options.validate?.(values) ?? {};
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found)) {
      focusAfterRender.current = form;
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    void send(form);
  }

  return {
    values,
    errors,
    submitting,
    serverError,
    setValue,
    updateValue,
    setErrors,
    reset,
    field: (name) => ({
      value: values[name] as string,
      onChange: (value: string) => setValue(name, value as V[typeof name]),
      error: (errors as Partial<Record<string, string>>)[name],
    }),
    handleSubmit,
  };
}
