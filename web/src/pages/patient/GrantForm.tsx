import {
  createGrant,
  GRANT_SCOPE_LABELS,
  GRANT_SCOPES,
  RECORD_TYPE_LABELS,
  RECORD_TYPES,
  type GrantScope,
  type RecordType,
} from '../../api/grants.js';
import { doctorName, type Doctor } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { endOfLocalDay, todayLocal } from '../../dates.js';
import { useForm } from '../../forms/useForm.js';

type Coverage = 'all' | 'some';

interface Values {
  readonly doctor: string;
  readonly coverage: Coverage;
  readonly access: GrantScope;
  readonly types: ReadonlySet<RecordType>;
  readonly expiry: string;
}

const EMPTY: Values = { doctor: '', coverage: 'all', access: 'read', types: new Set(), expiry: '' };

/** The end of the chosen day, or undefined for "until revoked" (or a day that does not parse). */
function expiryOf(expiry: string): Date | undefined {
  return expiry === '' ? undefined : endOfLocalDay(expiry);
}

export interface GrantFormProps {
  readonly patientId: string;
  readonly doctors: readonly Doctor[];
  readonly onGranted: (doctorName: string, scope: GrantScope) => Promise<void>;
}

/** What each choice lets the doctor do, said plainly next to it. */
const SCOPE_HINTS: Readonly<Record<GrantScope, string>> = {
  read: 'The doctor can read the records you share.',
  read_write: 'The doctor can also add records and images to them, and write you prescriptions.',
};

/**
 * Grant a doctor access: all records or chosen record types, to read only (the default) or to
 * read and write, until revoked or a chosen day.
 */
export function GrantForm(props: GrantFormProps) {
  const form = useForm<Values, keyof Values>({
    initial: EMPTY,
    validate: ({ doctor, coverage, types, expiry }) => {
      const expiresAt = expiryOf(expiry);
      return {
        doctor: doctor === '' ? 'Choose a doctor.' : undefined,
        types: coverage === 'some' && types.size === 0 ? 'Tick at least one kind of record.' : undefined,
        expiry:
          expiry !== '' && (expiresAt === undefined || expiresAt.getTime() <= Date.now())
            ? 'Choose today or a later day.'
            : undefined,
      };
    },
    onSubmit: async ({ doctor, coverage, access, types, expiry }, { reset }) => {
      const expiresAt = expiryOf(expiry);
      await createGrant(props.patientId, {
        doctorId: doctor,
        ...(coverage === 'some' ? { recordTypes: RECORD_TYPES.filter((type) => types.has(type)) } : {}),
        ...(access === 'read' ? {} : { scope: access }),
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      });
      const found = props.doctors.find((d) => d.id === doctor);
      const name = found ? doctorName(found) : 'The doctor';
      reset();
      await props.onGranted(name, access);
    },
  });
  const busy = form.submitting;
  const { coverage, access, types } = form.values;
  const errors = form.errors;

  function toggle(type: RecordType, on: boolean): void {
    const next = new Set(types);
    if (on) next.add(type);
    else next.delete(type);
    form.setValue('types', next);
  }

  if (props.doctors.length === 0) {
    return <p className="empty-state">There are no doctors to share with yet.</p>;
  }
  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <SelectField
        id="grant-doctor"
        label="Doctor"
        {...form.field('doctor')}
        placeholder="Choose a doctor…"
        options={props.doctors.map((doctor) => ({ value: doctor.id, label: doctorName(doctor) }))}
      />
      <fieldset className={errors.types ? 'fieldset field-invalid' : 'fieldset'}>
        <legend>What to share</legend>
        <label className="choice">
          <input
            type="radio"
            name="grant-coverage"
            checked={coverage === 'all'}
            onChange={() => form.setValue('coverage', 'all')}
          />
          All my records
        </label>
        <label className="choice">
          <input
            type="radio"
            name="grant-coverage"
            checked={coverage === 'some'}
            onChange={() => form.setValue('coverage', 'some')}
          />
          Only some kinds of record
        </label>
        {coverage === 'some' && (
          <div className="choice-grid" role="group" aria-label="Kinds of record">
            {RECORD_TYPES.map((type) => (
              <label key={type} className="choice">
                <input
                  type="checkbox"
                  name="grant-types"
                  value={type}
                  checked={types.has(type)}
                  onChange={(event) => toggle(type, event.target.checked)}
                />
                {RECORD_TYPE_LABELS[type]}
              </label>
            ))}
          </div>
        )}
        {errors.types && <p className="field-error">{errors.types}</p>}
      </fieldset>
      <fieldset className="fieldset" aria-describedby="grant-scope-hint">
        <legend>What the doctor may do</legend>
        {GRANT_SCOPES.map((scope) => (
          <label key={scope} className="choice">
            <input
              type="radio"
              name="grant-scope"
              value={scope}
              checked={access === scope}
              onChange={() => form.setValue('access', scope)}
            />
            {GRANT_SCOPE_LABELS[scope]}
          </label>
        ))}
        <p id="grant-scope-hint" className="field-hint">
          {SCOPE_HINTS[access]}
        </p>
      </fieldset>
      <TextField
        id="grant-expiry"
        label="Access ends (optional)"
        type="date"
        {...form.field('expiry')}
        min={todayLocal()}
        hint="Leave empty to share until you revoke it. Access ends at the end of the chosen day."
      />
      <FormAlert title="Could not share." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Sharing…' : 'Share records'}
        </button>
      </div>
    </form>
  );
}
