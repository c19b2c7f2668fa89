import type { ReactNode } from 'react';
import { VITAL_METRICS, MEASURED_VITALS } from '../../../../src/contract/vocabulary/vital-metrics.js';
import { formatDateTime } from '../../format.js';

/**
 * A record's body, per type. The body comes from the server as the contract's `unknown`: each view
 * shows the fields it knows and leaves out what does not fit, and an unknown type (or a future
 * field) is shown as plain labelled values, never as raw HTML.
 */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function RecordBody(props: { readonly type: string; readonly body: unknown }) {
  const { type } = props;
  const body = isRecord(props.body) ? props.body : {};
  switch (type) {
    case 'lab_result':
      return <LabResult body={body} />;
    case 'diagnosis':
      return (
        <Facts
          rows={[
            ['ICD-10 code', code(body.icd10)],
            ['Diagnosis', text(body.text)],
            ['Status', capital(body.status)],
            ['Onset', text(body.onset)],
            ['Notes', paragraph(body.notes)],
          ]}
        />
      );
    case 'clinical_note':
      return (
        <div className="record-text">
          {paragraph(body.text) ?? <span className="muted">Empty note.</span>}
        </div>
      );
    case 'allergy':
      return (
        <Facts
          rows={[
            ['Substance', text(body.substance)],
            ['Severity', capital(body.severity)],
            ['Reaction', text(body.reaction)],
            ['Noted on', text(body.notedAt)],
          ]}
        />
      );
    case 'vaccination':
      return (
        <Facts
          rows={[
            ['Vaccine', text(body.vaccine)],
            ['Given on', text(body.administeredAt)],
            ['Dose number', numberText(body.doseNumber)],
            ['Lot', text(body.lot)],
            ['Site', text(body.site)],
          ]}
        />
      );
    case 'imaging':
      return (
        <Facts
          rows={[
            ['Modality', text(body.modality)],
            ['Body part', text(body.bodyPart)],
            ['Findings', paragraph(body.findings)],
            ['Impression', paragraph(body.impression)],
          ]}
        />
      );
    case 'vitals':
      return (
        <Facts
          rows={[
            ...MEASURED_VITALS.map((key): [string, ReactNode] => {
              const value = body[key];
              const metric = VITAL_METRICS[key];
              return [metric.label, typeof value === 'number' ? `${value} ${metric.unit}` : undefined];
            }),
            ['Measured', timeText(body.measuredAt)],
          ]}
        />
      );
    default:
      return <GenericBody body={body} />;
  }
}

type Row = readonly [string, ReactNode];

function Facts(props: { readonly rows: readonly Row[] }) {
  const shown = props.rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return <p className="muted">This record has no details.</p>;
  return (
    <dl className="fact-list record-facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LabResult({ body }: { readonly body: Record<string, unknown> }) {
  const analytes = Array.isArray(body.analytes) ? body.analytes.filter(isRecord) : [];
  return (
    <div className="stack">
      <Facts
        rows={[
          ['Panel', text(body.panel)],
          ['Collected', timeText(body.collectedAt)],
          ['Notes', paragraph(body.notes)],
        ]}
      />
      {analytes.length > 0 && (
        <div className="table-scroll">
          <table className="table table-compact table-stack">
            <caption className="visually-hidden">Analytes</caption>
            <thead>
              <tr>
                <th scope="col">Analyte</th>
                <th scope="col">Value</th>
                <th scope="col">Reference range</th>
                <th scope="col">Flag</th>
              </tr>
            </thead>
            <tbody>
              {analytes.map((analyte, index) => (
                <tr key={index}>
                  <th scope="row">{text(analyte.name) ?? '—'}</th>
                  <td data-label="Value">
                    {numberText(analyte.value) ?? '—'} {text(analyte.unit)}
                  </td>
                  <td data-label="Reference range">{range(analyte.referenceLow, analyte.referenceHigh)}</td>
                  <td data-label="Flag">{flag(analyte.flag)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function GenericBody({ body }: { readonly body: Record<string, unknown> }) {
  const rows: Row[] = Object.entries(body).map(([key, value]) => [
    key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' '),
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? (
      String(value)
    ) : value === null || value === undefined ? undefined : (
      <pre className="code-block">{JSON.stringify(value, null, 2)}</pre>
    ),
  ]);
  return <Facts rows={rows} />;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function capital(value: unknown): string | undefined {
  const found = text(value);
  return found && found.charAt(0).toUpperCase() + found.slice(1);
}

function code(value: unknown): ReactNode {
  const found = text(value);
  return found && <code>{found}</code>;
}

function paragraph(value: unknown): ReactNode {
  const found = text(value);
  return found && <span className="preserve-lines">{found}</span>;
}

function numberText(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** Epoch ms or an ISO string as a local date and time; a bare date as is. */
function timeText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? formatDateTime(ms) : undefined;
}

function range(low: unknown, high: unknown): string {
  const l = numberText(low);
  const h = numberText(high);
  if (l && h) return `${l} – ${h}`;
  if (l) return `≥ ${l}`;
  if (h) return `≤ ${h}`;
  return '—';
}

function flag(value: unknown): ReactNode {
  const found = text(value);
  if (!found) return <span className="muted">—</span>;
  const tone =
    found === 'normal'
      ? 'status-ok'
      : found === 'critical' || found === 'high' || found === 'low'
        ? 'status-bad'
        : 'status-muted';
  return <span className={`status ${tone}`}>{found}</span>;
}
