import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { FHIR_RESOURCES, FHIR_VERSION, type FhirResourceType } from '../../contract/fhir/routes.js';

const SEARCH_TYPES: Readonly<Record<string, 'token' | 'reference' | 'date'>> = {
  patient: 'reference',
  subject: 'reference',
  target: 'reference',
  category: 'token',
  code: 'token',
  date: 'date',
  'onset-date': 'date',
  authoredon: 'date',
};

/** The server's CapabilityStatement: what /metadata answers, built from the FHIR route table. */
export function capabilityStatement(base: string, date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'MedVault' },
    implementation: { description: 'MedVault FHIR R4 API', url: base },
    fhirVersion: FHIR_VERSION,
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          description:
            'A MedVault session (Authorization: Bearer <token> from the login routes). The same access rules as the JSON API; every read is in the audit ledger.',
        },
        resource: [
          ...(Object.keys(FHIR_RESOURCES) as FhirResourceType[]).map(
            (type): CapabilityStatementRestResource => ({
              type,
              interaction: [{ code: 'read' }, { code: 'search-type' }],
              searchParam: [
                { name: '_id', type: 'token' },
                { name: '_count', type: 'number' },
                ...FHIR_RESOURCES[type].map((name) => ({ name, type: SEARCH_TYPES[name] ?? 'token' })),
              ],
              ...(type === 'Patient'
                ? {
                    operation: [
                      {
                        name: 'everything',
                        definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                      },
                      { name: 'import', definition: `${base}/OperationDefinition/Patient-import` },
                    ],
                  }
                : {}),
            }),
          ),
          { type: 'Binary', interaction: [{ code: 'read' }] },
          {
            type: 'AuditEvent',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              { name: '_count', type: 'number' },
              { name: 'patient', type: 'reference' },
            ],
          },
        ],
      },
    ],
  };
}
