/**
 * One bundle entry as the import sees it, what the import plans to create from entries, and the
 * helpers every mapping back from FHIR uses (naming the entry in a refusal, a record's title).
 */
import type { CodeableConcept, Extension, Resource } from '@medplum/fhirtypes';
import { invalidInput } from '../errors.js';
import type { NewRecord } from '../records/index.js';
import { EXT_RECORD_TITLE } from './codes.js';

/** One bundle entry as the import sees it: its place and its resource. */
export interface Entry {
  readonly index: number;
  readonly resource: Resource;
  readonly fullUrl?: string | undefined;
}

/** An image of an imaging record: the Binary (or inline attachment) it comes from, decoded. */
export interface PlannedImage {
  readonly entry: number;
  readonly fileName: string | undefined;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** A record to create and the entries it comes from (and, for imaging, its images). */
export interface PlannedRecord {
  readonly record: NewRecord;
  readonly entries: readonly number[];
  readonly images?: readonly PlannedImage[];
}

export const entryName = (e: Entry): string =>
  `Bundle.entry[${e.index}] (${e.resource.resourceType}/${e.resource.id ?? '-'})`;
export const bad = (e: Entry, message: string) => invalidInput(`${entryName(e)}: ${message}`);

export const titleOf = (r: { extension?: Extension[] }, fallback: string): string =>
  (r.extension?.find((x) => x.url === EXT_RECORD_TITLE)?.valueString ?? fallback).slice(0, 200);
export const isCategory = (r: { category?: CodeableConcept[] }, code: string) =>
  r.category?.some((c) => c.coding?.some((x) => x.code === code)) === true;
