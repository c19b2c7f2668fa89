import { useState } from 'react';
import { doctorsQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import type { FoundPatient } from '../../api/patient-search.js';
import { CareTeamPanel } from './CareTeamPanel.js';
import { FindPatientForm } from './FindPatientForm.js';
import { FoundPatientsPicker } from './FoundPatientsPicker.js';
import { PatientPicker } from './PatientPicker.js';
import { PinResetPanel } from './PinResetPanel.js';
import { ReenrolPanel } from './ReenrolPanel.js';
import { usePatientList } from './usePatientList.js';

/**
 * Registrar: pick a patient, then put a doctor on their care team or start an assisted PIN
 * reset. Panels are keyed by patient so nothing typed or shown for one patient carries over to
 * the next.
 */
export function CareTeamsPage(props: PageProps) {
  const list = usePatientList();
  const doctors = useQuery(doctorsQuery);
  const [selectedId, setSelectedId] = useState<string>();
  const [found, setFound] = useState<{ patients: readonly FoundPatient[]; more: boolean }>();
  const patient =
    found?.patients.find((p) => p.id === selectedId) ?? list.patients.find((p) => p.id === selectedId);
  const subject = patient ? ` for ${patient.fullName}` : '';
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Find or choose a patient, then change their care team, help them reset a forgotten PIN or ask to
        re-enrol them.
      </p>
      <div className="page-columns">
        <section className="card" aria-labelledby="patients-title">
          <h2 id="patients-title">Patients</h2>
          <FindPatientForm onFound={setFound} />
          {found ? (
            <FoundPatientsPicker found={found} selected={selectedId} onSelect={setSelectedId} />
          ) : (
            <PatientPicker list={list} selected={selectedId} onSelect={setSelectedId} />
          )}
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="assign-title">
            <h2 id="assign-title">Care team{patient ? ` of ${patient.fullName}` : ''}</h2>
            {patient ? (
              <CareTeamPanel
                key={patient.id}
                patient={patient}
                doctors={doctors.resource}
                onRetryDoctors={() => void doctors.reload()}
              />
            ) : (
              <p className="muted">Choose a patient to see and change their care team.</p>
            )}
          </section>
          <section className="card" aria-labelledby="reset-title">
            <h2 id="reset-title">Assisted PIN reset{subject}</h2>
            <PinResetPanel key={patient?.id ?? 'none'} patient={patient} />
          </section>
          {patient && (
            <section className="card" aria-labelledby="reenrol-title">
              <h2 id="reenrol-title">Re-enrolment{subject}</h2>
              <ReenrolPanel key={patient.id} patient={patient} />
            </section>
          )}
        </div>
      </div>
    </section>
  );
}
