import { useState } from 'react';
import type { Medicine } from '../../api/medicines.js';
import { MAX_OVERRIDE_WARNINGS, type PrescribingWarning } from '../../api/prescribing-checks.js';
import {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  ROUTES,
  signPrescription,
  type Route,
  submitPrescription,
  type SubmittedPrescription,
} from '../../api/prescriptions.js';
import type { ReachablePatient } from '../../api/reachable-patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { keyIdOfPrivateKeyPem } from '../../crypto/key-id.js';
import { importSigningKeyFromPem, KeyFileError } from '../../crypto/sign.js';
import { MAX_KEY_FILE_BYTES, readFileAsText } from '../../files.js';
import { InvalidFields, useForm } from '../../forms/useForm.js';
import { PrescribeMedicineSearch } from './PrescribeMedicineSearch.js';
import { PrescribingWarnings } from './PrescribingWarnings.js';

type Field =
  'patient' | 'medicine' | 'dose' | 'route' | 'frequency' | 'quantity' | 'refills' | 'override' | 'keyFile';

interface Values {
  readonly patient: string;
  readonly medicine: Medicine | undefined;
  readonly dose: string;
  readonly route: string;
  readonly frequency: string;
  readonly quantity: string;
  readonly refills: string;
  readonly validDays: string;
  readonly instructions: string;
  readonly overrideReason: string;
  readonly keyFile: File | undefined;
}

const VALIDITY = [7, 30, 90, 180, 365];

/** The route if it is one the payload allows (the contract's list). */
const routeOf = (text: string): Route | undefined => ROUTES.find((r) => r === text);

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,4}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : undefined;
}

/**
 * The prescribing form. On "Sign and submit" the page reads the doctor's key file, derives its
 * key id, builds the payload, signs its canonical bytes with WebCrypto and sends payload +
 * signature. The private key is used in this page only and never sent.
 */
export function PrescribeForm(props: {
  readonly doctorId: string;
  readonly patients: readonly ReachablePatient[];
  /** The patient to start with (the Prescribe button of a patient's page). */
  readonly initialPatientId?: string | undefined;
  readonly onSubmitted: (result: SubmittedPrescription, patient: ReachablePatient) => void;
}) {
  // The prescribing checks' warnings for the chosen patient and medicine (undefined: not known).
  const [warnings, setWarnings] = useState<readonly PrescribingWarning[]>();
  const form = useForm<Values, Field>({
    initial: () => ({
      patient:
        props.patients.find((p) => p.id === props.initialPatientId)?.id ??
        (props.patients.length === 1 ? props.patients[0]!.id : ''),
      medicine: undefined,
      dose: '1 tablet',
      route: 'oral',
      frequency: '',
      quantity: '',
      refills: '0',
      validDays: '30',
      instructions: '',
      overrideReason: '',
      keyFile: undefined,
    }),
    validate: (values) => ({
      patient: values.patient ? undefined : 'Choose the patient.',
      medicine: values.medicine ? undefined : 'Search for and choose a medicine.',
      dose: values.dose.trim() ? undefined : 'Enter the dose, e.g. "1 tablet".',
      route: routeOf(values.route) ? undefined : 'Choose a route from the list.',
      frequency: values.frequency.trim() ? undefined : 'Enter how often, e.g. "twice daily".',
      quantity:
        wholeNumber(values.quantity, 1, MAX_QUANTITY) === undefined
          ? `Enter a quantity from 1 to ${MAX_QUANTITY}.`
          : undefined,
      refills:
        wholeNumber(values.refills, 0, MAX_REFILLS) === undefined
          ? `Enter refills from 0 to ${MAX_REFILLS}.`
          : undefined,
      override:
        warnings !== undefined && warnings.length > 0 && !/\S.*\S.*\S/.test(values.overrideReason)
          ? 'Give your reason to prescribe despite the warnings (it is signed with the prescription).'
          : undefined,
      keyFile: values.keyFile ? undefined : 'Choose your private key file (.pem) to sign with.',
    }),
    onSubmit: async (values) => {
      const { medicine, keyFile } = values;
      const patient = props.patients.find((p) => p.id === values.patient);
      const quantity = wholeNumber(values.quantity, 1, MAX_QUANTITY);
      const refills = wholeNumber(values.refills, 0, MAX_REFILLS);
      const route = routeOf(values.route);
      if (!medicine || !keyFile || !patient || !route || quantity === undefined || refills === undefined)
        return;
      try {
        if (keyFile.size > MAX_KEY_FILE_BYTES)
          throw new KeyFileError('This file is too large to be a PEM private key.');
        const pem = await readFileAsText(keyFile);
        const [signingKey, keyId] = await Promise.all([
          importSigningKeyFromPem(pem),
          keyIdOfPrivateKeyPem(pem),
        ]);
        const signed = await signPrescription(
          {
            patientId: patient.id,
            medicine: {
              id: medicine.id,
              name: medicine.genericName,
              strength: medicine.strength,
              form: medicine.form,
            },
            dose: values.dose.trim(),
            route,
            frequency: values.frequency.trim(),
            quantity,
            refills,
            instructions: values.instructions.trim(),
            prescriberId: props.doctorId,
            validDays: Number(values.validDays),
            ...(warnings !== undefined && warnings.length > 0
              ? {
                  override: {
                    reason: values.overrideReason.trim(),
                    warnings: warnings.slice(0, MAX_OVERRIDE_WARNINGS).map((w) => w.message),
                  },
                }
              : {}),
          },
          signingKey,
          keyId,
        );
        props.onSubmitted(await submitPrescription(signed), patient);
      } catch (error) {
        if (error instanceof KeyFileError) throw new InvalidFields<Field>({ keyFile: error.message });
        throw error;
      }
    },
  });
  const busy = form.submitting;
  const { errors } = form;

  function pickMedicine(m: Medicine): void {
    form.setValue('medicine', m);
    form.setValue('route', m.route);
    form.setValue('dose', `1 ${m.form}`);
  }

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <SelectField
        id="rx-patient"
        label="Patient"
        {...form.field('patient')}
        placeholder="Choose a patient…"
        options={props.patients.map((p) => ({ value: p.id, label: `${p.fullName} (${p.maskedSsn})` }))}
      />
      <PrescribeMedicineSearch
        selected={form.values.medicine}
        onSelect={pickMedicine}
        error={errors.medicine}
      />
      <PrescribingWarnings
        patientId={form.values.patient || undefined}
        medicine={form.values.medicine}
        reason={form.values.overrideReason}
        onReason={(reason) => form.setValue('overrideReason', reason)}
        error={errors.override}
        onWarnings={setWarnings}
      />
      <div className="form-row">
        <TextField id="rx-dose" label="Dose" {...form.field('dose')} maxLength={100} />
        <SelectField
          id="rx-route"
          label="Route"
          {...form.field('route')}
          options={ROUTES.map((r) => ({ value: r, label: r }))}
        />
      </div>
      <TextField
        id="rx-frequency"
        label="Frequency"
        {...form.field('frequency')}
        placeholder="e.g. three times daily"
        maxLength={100}
      />
      <div className="form-row">
        <TextField
          id="rx-quantity"
          label="Quantity"
          {...form.field('quantity')}
          inputMode="numeric"
          maxLength={4}
        />
        <TextField
          id="rx-refills"
          label="Refills"
          {...form.field('refills')}
          inputMode="numeric"
          maxLength={2}
        />
        <SelectField
          id="rx-valid"
          label="Valid for"
          {...form.field('validDays')}
          options={VALIDITY.map((d) => ({ value: String(d), label: `${d} days` }))}
        />
      </div>
      <div className="field">
        <label htmlFor="rx-instructions">Instructions for the patient</label>
        <textarea
          id="rx-instructions"
          className="textarea-prose"
          rows={3}
          maxLength={MAX_INSTRUCTIONS}
          value={form.values.instructions}
          onChange={(event) => form.setValue('instructions', event.target.value)}
        />
      </div>
      <div className={errors.keyFile ? 'field field-invalid' : 'field'}>
        <label htmlFor="rx-key">Your signing key file</label>
        <input
          id="rx-key"
          type="file"
          accept=".pem,.key,application/x-pem-file,text/plain"
          onChange={(event) => form.setValue('keyFile', event.target.files?.[0])}
          aria-invalid={errors.keyFile ? true : undefined}
          aria-describedby="rx-key-hint"
        />
        <p id="rx-key-hint" className="field-hint">
          PKCS#8 PEM (RSA or Ed25519). The prescription is signed inside this browser; the key is never
          uploaded.
        </p>
        {errors.keyFile && <p className="field-error">{errors.keyFile}</p>}
      </div>
      <FormAlert title="The prescription was not accepted." message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Signing…' : 'Sign and submit'}
      </button>
    </form>
  );
}
