/**
 * The FHIR context's public entry (docs/fhir.md): a FHIR R4 adapter over the records, identity
 * and prescriptions services — pure mappers both ways and a service that reads through the
 * caller's access scope.
 */
export { composeFhir, type FhirServices } from './compose.js';
export type { FhirDeps } from './deps.js';
export { capabilityStatement } from './capability.js';
export type { SearchQuery } from './search-params.js';
