/**
 * Imaging records to FHIR R4 (docs/fhir.md), pure: a DiagnosticReport (category RAD, the
 * impression as its conclusion, each image as a `presentedForm` pointing at `Binary/<id>`), an
 * ImagingStudy (modality, body part, the findings as its note, one instance per image) and, when
 * the bytes are given, each image as a Binary. Both resources carry the record id and title, so
 * another MedVault rebuilds the same record with its images.
 */
import type { Binary, DiagnosticReport, ImagingStudy, Resource } from '@medplum/fhirtypes';
import type { RecordBodies } from '../records/index.js';
import {
  DICOM_DCM,
  IMAGING_REPORT_LOINC,
  LOINC,
  MODALITY_DCM,
  SECONDARY_CAPTURE_SOP,
  URI_SYSTEM,
  V2_0074,
} from './codes.js';
import {
  instant,
  patientRef,
  practitionerRef,
  recordIdentifier,
  titleExtension,
  type SourceRecord,
} from './refs.js';

/** What the mappers need of an image (AttachmentView of the records context). */
export interface SourceImage {
  readonly id: string;
  readonly contentType: string;
  readonly fileName: string;
  readonly size: number;
  readonly createdAt: number;
}

/** A UUID as a DICOM UID (ISO/IEC 9834-8: `2.25.<the UUID as one decimal integer>`). */
export const uuidOid = (uuid: string): string => `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString()}`;

export const binaryRef = (imageId: string): string => `Binary/${imageId}`;

/** An imaging record: its DiagnosticReport and ImagingStudy (the Binaries are separate: `binaryResource`). */
export function imagingResources(r: SourceRecord, images: readonly SourceImage[]): Resource[] {
  const body = r.body as RecordBodies['imaging'];
  const [dcm, dcmDisplay] = MODALITY_DCM[body.modality] ?? MODALITY_DCM.Other!;
  const modality = { system: DICOM_DCM, code: dcm, display: dcmDisplay };
  const common = { identifier: recordIdentifier(r.id), extension: titleExtension(r.title) };
  const study: ImagingStudy = {
    resourceType: 'ImagingStudy',
    id: r.id,
    ...common,
    status: 'available',
    modality: [modality],
    subject: patientRef(r.patientId),
    started: instant(r.createdAt),
    interpreter: [practitionerRef(r.authorId, r.authorName)],
    numberOfSeries: 1,
    numberOfInstances: images.length,
    description: `${body.modality} of ${body.bodyPart}`,
    note: [{ text: body.findings }],
    series: [
      {
        uid: uuidOid(r.id),
        number: 1,
        modality,
        bodySite: { display: body.bodyPart },
        numberOfInstances: images.length,
        ...(images.length === 0
          ? {}
          : {
              instance: images.map((image, i) => ({
                uid: uuidOid(image.id),
                sopClass: { system: URI_SYSTEM, code: `urn:oid:${SECONDARY_CAPTURE_SOP}` },
                number: i + 1,
                title: image.fileName,
              })),
            }),
      },
    ],
  };
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: r.id,
    ...common,
    status: 'final',
    category: [{ coding: [{ system: V2_0074, code: 'RAD', display: 'Radiology' }] }],
    code: {
      coding: [{ system: LOINC, code: IMAGING_REPORT_LOINC[0], display: IMAGING_REPORT_LOINC[1] }],
      text: `${body.modality} of ${body.bodyPart}`,
    },
    subject: patientRef(r.patientId),
    effectiveDateTime: instant(r.createdAt),
    issued: instant(r.createdAt),
    performer: [practitionerRef(r.authorId, r.authorName)],
    imagingStudy: [{ reference: `ImagingStudy/${r.id}` }],
    conclusion: body.impression,
    ...(images.length === 0
      ? {}
      : {
          presentedForm: images.map((image) => ({
            contentType: image.contentType,
            url: binaryRef(image.id),
            size: image.size,
            title: image.fileName,
            creation: instant(image.createdAt),
          })),
        }),
  };
  return [report, study];
}

/**
 * One image as a Binary: its bytes in base64 `data` when given (FHIR JSON reads, $everything), and
 * the report it belongs to as its security context (who may read that report may read it).
 */
export function binaryResource(image: SourceImage, recordId: string, bytes?: Buffer): Binary {
  return {
    resourceType: 'Binary',
    id: image.id,
    contentType: image.contentType,
    securityContext: { reference: `DiagnosticReport/${recordId}` },
    ...(bytes === undefined ? {} : { data: bytes.toString('base64') }),
  };
}
