import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.js';
import type { Medicine } from '../../api/medicines.js';
import {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  ROUTES,
  signPrescription,
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
import { PrescribeMedicineSearch } from './PrescribeMedicineSearch.js';

type Field = 'patient' | 'medicine' | 'dose' | 'frequency' | 'quantity' | 'refills' | 'keyFile';
type Errors = Partial<Record<Field, string>>;

const VALIDITY = [7, 30, 90, 180, 365];

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
  readonly onSubmitted: (result: SubmittedPrescription, patient: ReachablePatient) => void;
}) {
  const [patientId, setPatientId] = useState(props.patients.length === 1 ? props.patients[0]!.id : '');
  const [medicine, setMedicine] = useState<Medicine>();
  const [dose, setDose] = useState('1 tablet');
  const [route, setRoute] = useState('oral');
  const [frequency, setFrequency] = useState('');
  const [quantity, setQuantity] = useState('');
  const [refills, setRefills] = useState('0');
  const [validDays, setValidDays] = useState('30');
  const [instructions, setInstructions] = useState('');
  const [keyFile, setKeyFile] = useState<File>();
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  function pickMedicine(m: Medicine): void {
    setMedicine(m);
    setRoute(m.route);
    setDose(`1 ${m.form}`);
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const qty = wholeNumber(quantity, 1, MAX_QUANTITY);
    const refillCount = wholeNumber(refills, 0, MAX_REFILLS);
    const found: Errors = {
      patient: patientId ? undefined : 'Choose the patient.',
      medicine: medicine ? undefined : 'Search for and choose a medicine.',
      dose: dose.trim() ? undefined : 'Enter the dose, e.g. "1 tablet".',
      frequency: frequency.trim() ? undefined : 'Enter how often, e.g. "twice daily".',
      quantity: qty === undefined ? `Enter a quantity from 1 to ${MAX_QUANTITY}.` : undefined,
      refills: refillCount === undefined ? `Enter refills from 0 to ${MAX_REFILLS}.` : undefined,
      keyFile: keyFile ? undefined : 'Choose your private key file (.pem) to sign with.',
    };
    setErrors(found);
    setServerError(undefined);
    const patient = props.patients.find((p) => p.id === patientId);
    if (Object.values(found).some(Boolean) || !medicine || !keyFile || !patient) return;
    if (qty === undefined || refillCount === undefined) return;

    setBusy(true);
    try {
      let pem: string;
      try {
        if (keyFile.size > MAX_KEY_FILE_BYTES)
          throw new KeyFileError('This file is too large to be a PEM private key.');
        pem = await readFileAsText(keyFile);
        const [signingKey, keyId] = await Promise.all([
          importSigningKeyFromPem(pem),
          keyIdOfPrivateKeyPem(pem),
        ]);
        const signed = await signPrescription(
          {
            patientId,
            medicine: {
              id: medicine.id,
              name: medicine.genericName,
              strength: medicine.strength,
              form: medicine.form,
            },
            dose: dose.trim(),
            route,
            frequency: frequency.trim(),
            quantity: qty,
            refills: refillCount,
            instructions: instructions.trim(),
            prescriberId: props.doctorId,
            validDays: Number(validDays),
          },
          signingKey,
          keyId,
        );
        props.onSubmitted(await submitPrescription(signed), patient);
      } catch (error) {
        if (error instanceof KeyFileError) setErrors({ keyFile: error.message });
        else throw error;
      }
    } catch (error) {
      setServerError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <SelectField
        id="rx-patient"
        label="Patient"
        value={patientId}
        onChange={setPatientId}
        placeholder="Choose a patient…"
        options={props.patients.map((p) => ({ value: p.id, label: `${p.name} (${p.maskedSsn})` }))}
        error={errors.patient}
      />
      <PrescribeMedicineSearch selected={medicine} onSelect={pickMedicine} error={errors.medicine} />
      <div className="form-row">
        <TextField
          id="rx-dose"
          label="Dose"
          value={dose}
          onChange={setDose}
          maxLength={100}
          error={errors.dose}
        />
        <SelectField
          id="rx-route"
          label="Route"
          value={route}
          onChange={setRoute}
          options={ROUTES.map((r) => ({ value: r, label: r }))}
        />
      </div>
      <TextField
        id="rx-frequency"
        label="Frequency"
        value={frequency}
        onChange={setFrequency}
        placeholder="e.g. three times daily"
        maxLength={100}
        error={errors.frequency}
      />
      <div className="form-row">
        <TextField
          id="rx-quantity"
          label="Quantity"
          value={quantity}
          onChange={setQuantity}
          inputMode="numeric"
          maxLength={4}
          error={errors.quantity}
        />
        <TextField
          id="rx-refills"
          label="Refills"
          value={refills}
          onChange={setRefills}
          inputMode="numeric"
          maxLength={2}
          error={errors.refills}
        />
        <SelectField
          id="rx-valid"
          label="Valid for"
          value={validDays}
          onChange={setValidDays}
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
          value={instructions}
          onChange={(event) => setInstructions(event.target.value)}
        />
      </div>
      <div className={errors.keyFile ? 'field field-invalid' : 'field'}>
        <label htmlFor="rx-key">Your signing key file</label>
        <input
          id="rx-key"
          type="file"
          accept=".pem,.key,application/x-pem-file,text/plain"
          onChange={(event) => setKeyFile(event.target.files?.[0])}
          aria-invalid={errors.keyFile ? true : undefined}
          aria-describedby="rx-key-hint"
        />
        <p id="rx-key-hint" className="field-hint">
          PKCS#8 PEM (RSA or Ed25519). The prescription is signed inside this browser; the key is never
          uploaded.
        </p>
        {errors.keyFile && <p className="field-error">{errors.keyFile}</p>}
      </div>
      <FormAlert title="The prescription was not accepted." message={serverError} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Signing…' : 'Sign and submit'}
      </button>
    </form>
  );
}
