import type { FhirDeps } from './deps.js';
import { FhirImport } from './fhir-import.js';
import { FhirService } from './fhir-service.js';

/** The FHIR context of a running process: the standard API over the other contexts' services. */
export interface FhirServices {
  /** Read, search and $everything. */
  readonly api: FhirService;
  /** Patient/<id>/$import: a Bundle into records, all or nothing. */
  readonly importer: FhirImport;
}

/** Builds the FHIR context over the services it adapts (see compose.ts of the app). */
export function composeFhir(deps: FhirDeps): FhirServices {
  return { api: new FhirService(deps), importer: new FhirImport(deps) };
}
