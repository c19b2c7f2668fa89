/**
 * Imaging back from FHIR: a DiagnosticReport (category RAD) and its ImagingStudy become one
 * imaging record, and the images its `presentedForm` names come from Binary entries of the same
 * bundle (or inline data), decoded and checked as base64.
 */
import type { Binary, DiagnosticReport, ImagingStudy } from '@medplum/fhirtypes';
import { MODALITY_OF_DCM } from './codes.js';
import {
  bad,
  isCategory,
  titleOf,
  type Entry,
  type PlannedImage,
  type PlannedRecord,
} from './import-entry.js';

export const isImagingReport = (r: DiagnosticReport): boolean =>
  isCategory(r, 'RAD') || (r.imagingStudy?.length ?? 0) > 0;

/** The Binary entries of a bundle, found by the references an imaging report makes to them. */
export class Binaries {
  private readonly byRef = new Map<string, Entry>();
  private readonly used = new Set<number>();
  private readonly all: number[] = [];

  constructor(entries: readonly Entry[]) {
    for (const e of entries) {
      if (e.resource.resourceType !== 'Binary') continue;
      this.all.push(e.index);
      if (e.resource.id !== undefined) this.byRef.set(`Binary/${e.resource.id}`, e);
      if (e.fullUrl !== undefined) this.byRef.set(e.fullUrl, e);
    }
  }

  /** The Binary `url` names: `Binary/<id>`, its fullUrl, or a URL ending in `/Binary/<id>`. */
  find(url: string): Entry | undefined {
    const m = /(?:^|\/)(Binary\/[A-Za-z0-9\-.]{1,64})$/.exec(url);
    return this.byRef.get(url) ?? (m === null ? undefined : this.byRef.get(m[1]!));
  }

  take(e: Entry): void {
    this.used.add(e.index);
  }

  unused(): number[] {
    return this.all.filter((i) => !this.used.has(i));
  }
}

/**
 * A string element of an image, or undefined when absent. The mapping keeps these as they are (no
 * TypeError shows a wrong type while planning), so an object or number here is refused now,
 * not later by the upload that would call string methods on it.
 */
function imageText(e: Entry, value: unknown, element: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw bad(e, `the image's ${element} is not a string.`);
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
function decode(e: Entry, data: string): Buffer {
  const compact = data.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !base64.test(compact)) throw bad(e, 'the image data is not base64.');
  return Buffer.from(compact, 'base64');
}

/**
 * An imaging record from its report and study: modality and body part from the study's series,
 * findings from its note, the impression from the report's conclusion; each `presentedForm` of
 * the report is an image, its bytes in the Binary its `url` names (or inline `data`).
 */
export function imagingRecord(
  report: Entry | undefined,
  study: Entry | undefined,
  entries: number[],
  binaries: Binaries,
): PlannedRecord {
  const r = report?.resource as DiagnosticReport | undefined;
  const s = study?.resource as ImagingStudy | undefined;
  const where = (report ?? study)!;
  const series = s?.series?.[0];
  const dcm = series?.modality.code ?? s?.modality?.[0]?.code;
  const modality = (dcm === undefined ? undefined : MODALITY_OF_DCM[dcm]) ?? 'Other';
  const bodyPart = series?.bodySite?.display ?? series?.bodySite?.code ?? '';
  const findings = s?.note?.map((n) => n.text).join('\n') ?? '';
  const impression = r?.conclusion ?? '';
  const images: PlannedImage[] = [];
  for (const form of r?.presentedForm ?? []) {
    if (form.url !== undefined && form.data === undefined) {
      const found = binaries.find(form.url);
      if (found === undefined) throw bad(where, `the image ${form.url.slice(0, 100)} is not in the bundle.`);
      const binary = found.resource as Binary;
      if (typeof binary.data !== 'string') throw bad(found, 'an image Binary needs its data.');
      binaries.take(found);
      entries.push(found.index);
      images.push({
        entry: found.index,
        fileName: imageText(where, form.title, 'title'),
        contentType:
          imageText(found, binary.contentType, 'contentType') ??
          imageText(where, form.contentType, 'contentType') ??
          '',
        bytes: decode(found, binary.data),
      });
    } else if (form.data !== undefined) {
      images.push({
        entry: where.index,
        fileName: imageText(where, form.title, 'title'),
        contentType: imageText(where, form.contentType, 'contentType') ?? '',
        bytes: decode(where, form.data),
      });
    }
  }
  const text = r?.code?.text ?? s?.description ?? `${modality} of ${bodyPart}`;
  return {
    record: {
      type: 'imaging',
      title: titleOf(r ?? s!, text),
      body: { modality, bodyPart, findings, impression },
    },
    entries,
    images,
  };
}
