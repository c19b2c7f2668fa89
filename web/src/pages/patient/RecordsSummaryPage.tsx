import { useCallback, type ReactNode } from 'react';
import { fetchEverything, type FhirBundle, type FhirConcept, type FhirResource } from '../../api/fhir.js';
import { LoadState } from '../../components/LoadState.js';
import { useResource } from '../../data/useQuery.js';
import { href } from '../../routes.js';
import type { PageProps } from '../page-props.js';

const textOf = (c: FhirConcept | undefined): string =>
  c?.text ?? c?.coding?.find((x) => x.display !== undefined)?.display ?? c?.coding?.[0]?.code ?? '—';
const codeIn = (c: FhirConcept | undefined, system: string): string | undefined =>
  c?.coding?.find((x) => x.system === system)?.code;
const day = (s: string | undefined): string => (s === undefined ? '—' : s.slice(0, 10));
const quantity = (r: FhirResource): string => {
  if (r.valueQuantity?.value !== undefined)
    return `${r.valueQuantity.value} ${r.valueQuantity.unit ?? ''}`.trim();
  const parts = (r.component ?? []).map((c) => c.valueQuantity?.value).filter((v) => v !== undefined);
  return parts.length > 0 ? `${parts.join('/')} ${r.component?.[0]?.valueQuantity?.unit ?? ''}`.trim() : '—';
};
const noteText = (r: FhirResource): string => {
  const data = r.content?.find((c) => c.attachment?.contentType?.startsWith('text/plain'))?.attachment?.data;
  if (data === undefined) return r.description ?? '';
  const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};
const isRadiology = (r: FhirResource): boolean =>
  r.category?.some((c) => c.coding?.some((x) => x.code === 'RAD')) === true;

/** One section of the summary: a heading and a table, or a line saying there is nothing. */
function Section(props: {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly ReactNode[]>;
}) {
  return (
    <section className="summary-section" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <table className="table table-compact summary-table">
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((cells, i) => (
              <tr key={i}>
                {cells.map((cell, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={j}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Summary(props: { readonly bundle: FhirBundle }) {
  const all = (props.bundle.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
  const of = (type: string) => all.filter((r) => r.resourceType === type);
  const patient = of('Patient')[0];
  const reports = of('DiagnosticReport');
  return (
    <>
      <dl className="summary-facts">
        <dt>Name</dt>
        <dd>{patient?.name?.[0]?.text ?? '—'}</dd>
        <dt>Date of birth</dt>
        <dd>{day(patient?.birthDate)}</dd>
        <dt>Printed</dt>
        <dd>{new Date().toLocaleString()}</dd>
      </dl>
      <Section
        id="summary-conditions"
        title="Diagnoses"
        columns={['Diagnosis', 'ICD-10', 'Status', 'Since']}
        rows={of('Condition').map((r) => [
          textOf(r.code),
          codeIn(r.code, 'http://hl7.org/fhir/sid/icd-10') ?? '—',
          codeIn(r.verificationStatus, 'http://terminology.hl7.org/CodeSystem/condition-ver-status') ===
          'provisional'
            ? 'suspected'
            : (r.clinicalStatus?.coding?.[0]?.code ?? '—'),
          day(r.onsetDateTime ?? r.recordedDate),
        ])}
      />
      <Section
        id="summary-allergies"
        title="Allergies"
        columns={['Substance', 'Reaction', 'Criticality']}
        rows={of('AllergyIntolerance').map((r) => [
          textOf(r.code),
          r.reaction?.[0]?.manifestation?.map(textOf).join(', ') ?? '—',
          r.criticality ?? '—',
        ])}
      />
      <Section
        id="summary-medications"
        title="Prescriptions"
        columns={['Medicine', 'How to take', 'Prescribed', 'Status']}
        rows={of('MedicationRequest').map((r) => [
          textOf(r.medicationCodeableConcept),
          r.dosageInstruction?.map((d) => d.text).join('; ') ?? '—',
          day(r.authoredOn),
          r.status ?? '—',
        ])}
      />
      <Section
        id="summary-immunizations"
        title="Vaccinations"
        columns={['Vaccine', 'Given']}
        rows={of('Immunization').map((r) => [textOf(r.vaccineCode), day(r.occurrenceDateTime)])}
      />
      <Section
        id="summary-results"
        title="Results and measurements"
        columns={['Test', 'Value', 'Date']}
        rows={of('Observation').map((r) => [textOf(r.code), quantity(r), day(r.effectiveDateTime)])}
      />
      <Section
        id="summary-imaging"
        title="Imaging"
        columns={['Study', 'Conclusion', 'Date', 'Images']}
        rows={reports
          .filter(isRadiology)
          .map((r) => [
            textOf(r.code),
            r.conclusion ?? '—',
            day(r.effectiveDateTime),
            String(r.presentedForm?.length ?? 0),
          ])}
      />
      <Section
        id="summary-notes"
        title="Clinical notes"
        columns={['Date', 'Note']}
        rows={of('DocumentReference').map((r) => [
          day(r.date),
          <span key="note" className="summary-note">
            {noteText(r)}
          </span>,
        ])}
      />
    </>
  );
}

/**
 * A printable summary of the patient's whole record (`#/records/summary`), drawn from the same
 * FHIR Bundle the download saves. The print stylesheet (styles/print.css) leaves out the
 * navigation and buttons and keeps each section together on paper.
 */
export function RecordsSummaryPage(props: PageProps) {
  const load = useCallback(() => fetchEverything(props.user.id), [props.user.id]);
  const { resource, reload } = useResource(load);
  return (
    <section className="page records-summary" aria-labelledby="page-title">
      <p className="no-print">
        <a href={href('records')}>← All my records</a>
      </p>
      <h1 id="page-title">Health record summary</h1>
      <p className="page-summary no-print">
        Everything in your MedVault record on one page, to print or save as PDF. Opening it is recorded in
        your access history, as any read of your records.
      </p>
      <div className="button-row no-print">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <LoadState resource={resource} what="your records" onRetry={reload} />
      {resource.status === 'ready' && <Summary bundle={resource.data.bundle} />}
    </section>
  );
}
