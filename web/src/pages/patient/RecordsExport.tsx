import { useState } from 'react';
import { fetchEverything, saveAsFile } from '../../api/fhir.js';
import { todayLocal } from '../../dates.js';
import { href } from '../../routes.js';

/**
 * "Download my records": the patient's whole record as one HL7 FHIR R4 Bundle ($everything), a
 * file any FHIR-speaking system can read (another MedVault imports it, X-rays included), and a
 * link to the printable summary for people.
 */
export function RecordsExport(props: { readonly patientId: string }) {
  const [state, setState] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });

  async function download(): Promise<void> {
    setState({ busy: true });
    try {
      const { text, bundle } = await fetchEverything(props.patientId);
      const fileName = `medvault-records-${todayLocal()}.fhir.json`;
      saveAsFile(text, fileName);
      setState({ busy: false, done: `Saved ${fileName} (${bundle.entry?.length ?? 0} entries).` });
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section className="card stack" aria-labelledby="records-export-title">
      <h2 id="records-export-title" className="panel-title">
        Download my records
      </h2>
      <p>
        Everything in your record as one file in the international HL7 FHIR format, which other hospitals and
        apps can read — or a summary to print or keep.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void download()}
          disabled={state.busy}
        >
          {state.busy ? 'Preparing your file…' : 'Download my records (FHIR)'}
        </button>
        <a className="button button-secondary" href={href('records-summary')}>
          Printable summary
        </a>
      </div>
      <div role="status" aria-live="polite">
        {state.done !== undefined && <p className="muted">{state.done}</p>}
      </div>
      {state.error !== undefined && (
        <div className="alert alert-error" role="alert">
          Could not download your records: {state.error}
        </div>
      )}
    </section>
  );
}
