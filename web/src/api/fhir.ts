/**
 * The patient's records as HL7 FHIR R4 (docs/fhir.md): `Patient/<id>/$everything`, one Bundle
 * with every record, prescription and X-ray image (base64) the patient may read. Fetched with the
 * session cookie, like every call of the UI; a GET needs no CSRF header. The server's answer is
 * the standard's shape (validated against the R4 definitions in its tests), so only the few
 * fields the summary page shows are typed here.
 */
import { FHIR_BASE, FHIR_CONTENT_TYPE } from '../../../src/contract/fhir/routes.js';

export interface FhirCoding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}
export interface FhirConcept {
  readonly text?: string;
  readonly coding?: readonly FhirCoding[];
}
export interface FhirQuantity {
  readonly value?: number;
  readonly unit?: string;
}
/** A resource of the Bundle, with the elements the summary reads (all optional). */
export interface FhirResource {
  readonly resourceType: string;
  readonly id?: string;
  readonly name?: ReadonlyArray<{ readonly text?: string }>;
  readonly birthDate?: string;
  readonly code?: FhirConcept;
  readonly vaccineCode?: FhirConcept;
  readonly category?: readonly FhirConcept[];
  readonly clinicalStatus?: FhirConcept;
  readonly verificationStatus?: FhirConcept;
  readonly criticality?: string;
  readonly reaction?: ReadonlyArray<{ readonly manifestation?: readonly FhirConcept[] }>;
  readonly valueQuantity?: FhirQuantity;
  readonly component?: ReadonlyArray<{ readonly code?: FhirConcept; readonly valueQuantity?: FhirQuantity }>;
  readonly effectiveDateTime?: string;
  readonly onsetDateTime?: string;
  readonly occurrenceDateTime?: string;
  readonly recordedDate?: string;
  readonly authoredOn?: string;
  readonly date?: string;
  readonly conclusion?: string;
  readonly description?: string;
  readonly status?: string;
  readonly medicationCodeableConcept?: FhirConcept;
  readonly dosageInstruction?: ReadonlyArray<{ readonly text?: string }>;
  readonly content?: ReadonlyArray<{
    readonly attachment?: { readonly contentType?: string; readonly data?: string };
  }>;
  readonly presentedForm?: ReadonlyArray<{ readonly title?: string; readonly contentType?: string }>;
}
export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: string;
  readonly entry?: ReadonlyArray<{ readonly resource?: FhirResource }>;
}

/** The path of the patient's $everything. */
export const everythingPath = (patientId: string): string =>
  `${FHIR_BASE}/Patient/${encodeURIComponent(patientId)}/$everything`;

/** The patient's FHIR Bundle as the server sent it: the text (for the download) and parsed. */
export async function fetchEverything(patientId: string): Promise<{ text: string; bundle: FhirBundle }> {
  let res: Response;
  try {
    res = await fetch(everythingPath(patientId), {
      credentials: 'same-origin',
      headers: { accept: FHIR_CONTENT_TYPE },
    });
  } catch {
    throw new Error('The server could not be reached. Check your connection and try again.');
  }
  const text = await res.text();
  if (!res.ok) {
    let message = `The server answered ${res.status}.`;
    try {
      const outcome = JSON.parse(text) as { issue?: Array<{ details?: { text?: string } }> };
      message = outcome.issue?.[0]?.details?.text ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(message);
  }
  const bundle = JSON.parse(text) as FhirBundle;
  if (bundle.resourceType !== 'Bundle') throw new Error('The server did not answer a FHIR Bundle.');
  return { text, bundle };
}

/** Offers `text` as a file download (a blob: URL, revoked once the click has been handled). */
export function saveAsFile(text: string, fileName: string, type = FHIR_CONTENT_TYPE): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
