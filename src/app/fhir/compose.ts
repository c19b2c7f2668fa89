import type { FhirDeps } from './deps.js';
import { FhirService } from './fhir-service.js';

/** The FHIR context of a running process: the standard API over the other contexts' services. */
export interface FhirServices {
  /** Read, search and $everything. */
  readonly api: FhirService;
}

/** Builds the FHIR context over the services it adapts (see compose.ts of the app). */
export function composeFhir(deps: FhirDeps): FhirServices {
  return { api: new FhirService(deps) };
}
