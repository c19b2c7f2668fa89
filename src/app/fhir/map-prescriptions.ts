/**
 * A signed prescription as a MedicationRequest, and its signature as a Provenance a FHIR consumer
 * can verify without MedVault (docs/fhir.md, "Verifying a prescription"): the Provenance's
 * signature is the prescriber's own, over the exact signed payload, which travels with it as a
 * contained Binary holding MedVault's prescription evidence document — the file
 * `medvault rx verify` checks — so nothing has to be re-serialised to verify.
 */
import type { Binary, MedicationRequest, Provenance } from '@medplum/fhirtypes';
import type { Evidence, PrescriptionView } from '../prescriptions/index.js';
import { MEDVAULT_NS } from './codes.js';
import { instant, patientRef, practitionerRef } from './refs.js';

export const EVIDENCE_CONTENT_TYPE = 'application/vnd.medvault.prescription-evidence+json';
export const EXT_SIGNING_KEY_ID = `${MEDVAULT_NS}/StructureDefinition/signing-key-id`;
export const EXT_SIGNATURE_ALGORITHM = `${MEDVAULT_NS}/StructureDefinition/signature-algorithm`;

const STATUS = { active: 'active', dispensed: 'completed', expired: 'stopped' } as const;

export function medicationRequestResource(v: PrescriptionView): MedicationRequest {
  const d = v.details;
  const medicine =
    d === null ? 'Unreadable prescription' : `${d.medicine.name} ${d.medicine.strength} ${d.medicine.form}`;
  return {
    resourceType: 'MedicationRequest',
    id: v.id,
    identifier: [{ system: `${MEDVAULT_NS}/prescription-id`, value: v.id }],
    status: STATUS[v.status],
    intent: 'order',
    medicationCodeableConcept: {
      ...(d === null
        ? {}
        : { coding: [{ system: `${MEDVAULT_NS}/medicine`, code: d.medicine.id, display: medicine }] }),
      text: medicine,
    },
    subject: patientRef(v.patient.id),
    authoredOn: instant(v.issuedAt),
    requester: practitionerRef(v.prescriber.id, v.prescriber.name),
    ...(d === null
      ? {}
      : {
          dosageInstruction: [
            {
              text: [d.dose, d.route, d.frequency, d.instructions].filter((s) => s.length > 0).join(', '),
              route: { text: d.route },
              ...(d.instructions.length === 0 ? {} : { patientInstruction: d.instructions }),
            },
          ],
          dispenseRequest: {
            validityPeriod: { start: instant(v.issuedAt), end: instant(v.expiresAt) },
            numberOfRepeatsAllowed: d.refills,
            quantity: { value: d.quantity },
          },
        }),
  };
}

export function provenanceResource(e: Evidence): Provenance {
  const evidence: Binary = {
    resourceType: 'Binary',
    id: 'evidence',
    contentType: EVIDENCE_CONTENT_TYPE,
    data: Buffer.from(JSON.stringify(e), 'utf8').toString('base64'),
  };
  const signer = practitionerRef(e.signer.id, e.signer.displayName);
  return {
    resourceType: 'Provenance',
    id: e.prescriptionId,
    contained: [evidence],
    target: [{ reference: `MedicationRequest/${e.prescriptionId}` }],
    recorded: instant(e.receivedAt),
    agent: [
      {
        type: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' },
          ],
        },
        who: signer,
      },
    ],
    entity: [{ role: 'source', what: { reference: '#evidence' } }],
    signature: [
      {
        type: [
          {
            system: 'urn:iso-astm:E1762-95:2013',
            code: '1.2.840.10065.1.12.1.1',
            display: "Author's Signature",
          },
        ],
        when: instant(e.receivedAt),
        who: signer,
        // The signed bytes: the payload (RFC 8785 canonical JSON, UTF-8) inside the evidence.
        targetFormat: 'application/json',
        sigFormat: 'application/octet-stream',
        data: e.signature,
        extension: [
          { url: EXT_SIGNING_KEY_ID, valueString: e.keyId },
          { url: EXT_SIGNATURE_ALGORITHM, valueCode: e.algorithm },
        ],
      },
    ],
  };
}
