/**
 * The FHIR R4 API's route table (docs/fhir.md). Apart from the JSON contract (api/routes.ts):
 * these routes answer FHIR resources as `application/fhir+json`, whose shapes are the standard's
 * (HL7 FHIR R4 StructureDefinitions, checked in the tests), not schemas of ours. What is ours and
 * declared here: every route's method, path, parameters and search parameters, so the server
 * registers exactly these (test/http/contract-routes.test.ts) and refuses anything else with an
 * OperationOutcome.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const FHIR_BASE = '/fhir/R4';
export const FHIR_CONTENT_TYPE = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';

/** FHIR's id datatype: [A-Za-z0-9\-\.]{1,64}. */
export const FhirId = Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' });
const IdParams = Type.Object({ id: FhirId }, { additionalProperties: false });

/** A search value, once or repeated (`date=ge2020-01-01&date=lt2021-01-01`). */
const SearchValue = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 4 }),
]);
export const MAX_FHIR_PAGE = 100;
export const DEFAULT_FHIR_PAGE = 50;
const common = {
  _count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FHIR_PAGE })),
  _id: Type.Optional(SearchValue),
  _format: Type.Optional(Type.String({ maxLength: 40 })),
  /** Our opaque position in a result set; only ever taken from a `next` link. */
  _cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
};
const searchQuery = (params: readonly string[]) =>
  Type.Object(
    { ...common, ...Object.fromEntries(params.map((p) => [p, Type.Optional(SearchValue)])) },
    { additionalProperties: false },
  );

/** The resource types served, each with the search parameters it supports beyond the common ones. */
export const FHIR_RESOURCES = {
  Patient: [],
  Observation: ['patient', 'subject', 'category', 'code', 'date'],
  Condition: ['patient', 'subject', 'code', 'onset-date'],
  AllergyIntolerance: ['patient', 'date'],
  Immunization: ['patient', 'date'],
  MedicationRequest: ['patient', 'subject', 'authoredon'],
  Provenance: ['patient', 'target'],
  DiagnosticReport: ['patient', 'subject', 'category', 'code', 'date'],
  DocumentReference: ['patient', 'subject', 'date'],
  ImagingStudy: ['patient', 'subject'],
} as const satisfies Record<string, readonly string[]>;
export type FhirResourceType = keyof typeof FHIR_RESOURCES;
export const FHIR_RESOURCE_TYPES = Object.keys(FHIR_RESOURCES) as FhirResourceType[];

export interface FhirRoute {
  readonly method: 'GET' | 'POST';
  /** Fastify syntax (`:id`). */
  readonly path: string;
  /** FHIR interaction (CapabilityStatement vocabulary) or operation name. */
  readonly interaction: string;
  readonly resource: FhirResourceType | 'AuditEvent' | 'Binary' | 'Bundle' | 'CapabilityStatement';
  readonly params?: TSchema;
  readonly query?: TSchema;
  /** The request body is a FHIR resource of this type. */
  readonly body?: 'Bundle';
  /** Answers without a session (the CapabilityStatement). */
  readonly public?: boolean;
}
/** What a search route's query holds once validated: each parameter once or repeated. */
export type FhirSearchQuery = Partial<Record<string, string | number | string[]>>;
export type FhirIdParams = Static<typeof IdParams>;

function resourceRoutes(type: FhirResourceType): Record<string, FhirRoute> {
  return {
    [`read${type}`]: {
      method: 'GET',
      path: `${FHIR_BASE}/${type}/:id`,
      interaction: 'read',
      resource: type,
      params: IdParams,
    },
    [`search${type}`]: {
      method: 'GET',
      path: `${FHIR_BASE}/${type}`,
      interaction: 'search-type',
      resource: type,
      query: searchQuery(FHIR_RESOURCES[type]),
    },
  };
}

export const FHIR_ROUTES = {
  metadata: {
    method: 'GET',
    path: `${FHIR_BASE}/metadata`,
    interaction: 'capabilities',
    resource: 'CapabilityStatement',
    query: Type.Object(
      { _format: Type.Optional(Type.String({ maxLength: 40 })) },
      { additionalProperties: false },
    ),
    public: true,
  },
  ...Object.assign({}, ...FHIR_RESOURCE_TYPES.map(resourceRoutes)),
  everything: {
    method: 'GET',
    path: `${FHIR_BASE}/Patient/:id/$everything`,
    interaction: '$everything',
    resource: 'Patient',
    params: IdParams,
    query: Type.Object(
      { _format: Type.Optional(Type.String({ maxLength: 40 })) },
      { additionalProperties: false },
    ),
  },
  /**
   * An image of an imaging record: the decrypted bytes as their own type, or (Accept: a FHIR JSON
   * type, or `_format=json`) a Binary resource with the bytes in base64 `data`.
   */
  readBinary: {
    method: 'GET',
    path: `${FHIR_BASE}/Binary/:id`,
    interaction: 'read',
    resource: 'Binary',
    params: IdParams,
    query: Type.Object(
      { _format: Type.Optional(Type.String({ maxLength: 40 })) },
      { additionalProperties: false },
    ),
  },
  /** The patient's access history as AuditEvents (who may: as the JSON access-log route). */
  searchAuditEvent: {
    method: 'GET',
    path: `${FHIR_BASE}/AuditEvent`,
    interaction: 'search-type',
    resource: 'AuditEvent',
    query: Type.Object(
      {
        _count: common._count,
        _format: common._format,
        _cursor: common._cursor,
        patient: Type.Optional(SearchValue),
      },
      { additionalProperties: false },
    ),
  },
  importBundle: {
    method: 'POST',
    path: `${FHIR_BASE}/Patient/:id/$import`,
    interaction: '$import',
    resource: 'Patient',
    params: IdParams,
    body: 'Bundle',
  },
} as Readonly<Record<string, FhirRoute>>;
export const FHIR_ROUTE_NAMES = Object.keys(FHIR_ROUTES);
