import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.js';
import {
  createGrant,
  GRANT_SCOPE_LABELS,
  GRANT_SCOPES,
  RECORD_TYPE_LABELS,
  RECORD_TYPES,
  type GrantScope,
  type RecordType,
} from '../../api/grants.js';
import type { Doctor } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { hasErrors, type FieldErrors } from '../../validation.js';
import { endOfLocalDay, todayLocal } from '../../dates.js';
import { focusFirstInvalid } from '../../focus.js';

type Field = 'doctor' | 'types' | 'expiry';
type Coverage = 'all' | 'some';

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
  const [doctorId, setDoctorId] = useState('');
  const [coverage, setCoverage] = useState<Coverage>('all');
  const [access, setAccess] = useState<GrantScope>('read');
  const [types, setTypes] = useState<ReadonlySet<RecordType>>(new Set());
  const [expiry, setExpiry] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  function toggle(type: RecordType, on: boolean): void {
    const next = new Set(types);
    if (on) next.add(type);
    else next.delete(type);
    setTypes(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const expiresAt = expiry === '' ? undefined : endOfLocalDay(expiry);
    const found: FieldErrors<Field> = {
      doctor: doctorId === '' ? 'Choose a doctor.' : undefined,
      types: coverage === 'some' && types.size === 0 ? 'Tick at least one kind of record.' : undefined,
      expiry:
        expiry !== '' && (expiresAt === undefined || expiresAt.getTime() <= Date.now())
          ? 'Choose today or a later day.'
          : undefined,
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }

    setBusy(true);
    try {
      await createGrant(props.patientId, {
        doctorId,
        ...(coverage === 'some' ? { recordTypes: RECORD_TYPES.filter((type) => types.has(type)) } : {}),
        ...(access === 'read' ? {} : { scope: access }),
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      });
      const name = props.doctors.find((doctor) => doctor.id === doctorId)?.displayName ?? 'The doctor';
      const granted = access;
      setDoctorId('');
      setCoverage('all');
      setAccess('read');
      setTypes(new Set());
      setExpiry('');
      await props.onGranted(name, granted);
    } catch (error) {
      setServerError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  if (props.doctors.length === 0) {
    return <p className="empty-state">There are no doctors to share with yet.</p>;
  }
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <SelectField
        id="grant-doctor"
        label="Doctor"
        value={doctorId}
        onChange={setDoctorId}
        placeholder="Choose a doctor…"
        options={props.doctors.map((doctor) => ({ value: doctor.id, label: doctor.displayName }))}
        error={errors.doctor}
      />
      <fieldset className={errors.types ? 'fieldset field-invalid' : 'fieldset'}>
        <legend>What to share</legend>
        <label className="choice">
          <input
            type="radio"
            name="grant-coverage"
            checked={coverage === 'all'}
            onChange={() => setCoverage('all')}
          />
          All my records
        </label>
        <label className="choice">
          <input
            type="radio"
            name="grant-coverage"
            checked={coverage === 'some'}
            onChange={() => setCoverage('some')}
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
              onChange={() => setAccess(scope)}
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
        value={expiry}
        onChange={setExpiry}
        min={todayLocal()}
        hint="Leave empty to share until you revoke it. Access ends at the end of the chosen day."
        error={errors.expiry}
      />
      <FormAlert title="Could not share." message={serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Sharing…' : 'Share records'}
        </button>
      </div>
    </form>
  );
}
