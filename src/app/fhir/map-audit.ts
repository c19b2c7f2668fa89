/**
 * A line of the patient's access history (AccessLogEntry of the records context) as an R4
 * AuditEvent, pure (docs/fhir.md). One AuditEvent per line: a line stands for `count` alike
 * entries of one day, so `period` spans the first and the last and the extension `access-count`
 * says how many; `recorded` is the newest. The ledger entry's action is the subtype (our code),
 * mapped to FHIR's CRUDE action; the actor is the requesting agent, with how they reached the
 * patient (care team, grant, break-glass with its reason) as the agent's purpose of use.
 */
import type { AuditEvent, AuditEventAgent, AuditEventEntity } from '@medplum/fhirtypes';
import type { AccessLogEntry } from '../records/index.js';
import { MEDVAULT_NS, RECORD_ID_SYSTEM } from './codes.js';
import { instant, patientRef } from './refs.js';

export const AUDIT_ACTION_SYSTEM = `${MEDVAULT_NS}/audit-action`;
export const ACCESS_RELATION_SYSTEM = `${MEDVAULT_NS}/access-relation`;
export const ROLE_SYSTEM = `${MEDVAULT_NS}/role`;
export const EXT_ACCESS_COUNT = `${MEDVAULT_NS}/StructureDefinition/access-count`;
const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

/** FHIR's AuditEventAction (C R U D E) of one of our ledger actions. */
export function crudeOf(action: string): 'C' | 'R' | 'U' | 'D' | 'E' {
  if (/\.(create|register|sign|assign)$/.test(action)) return 'C';
  if (/\.(read|listed|hit|demographics_read)$/.test(action)) return 'R';
  if (/\.revoke$/.test(action)) return 'D';
  if (/^(pin|password)\./.test(action)) return 'U';
  return 'E';
}

/** AuditEventOutcome: 0 success, 4 a refusal or failure, 8 a failed integrity check. */
const outcomeOf = (e: AccessLogEntry): '0' | '4' | '8' =>
  e.action === 'record.integrity_failure' ? '8' : e.outcome === 'success' ? '0' : '4';

const PURPOSE: Readonly<Record<string, { code: string; display: string }>> = {
  self: { code: 'PATADMIN', display: 'patient administration' },
  care_team: { code: 'TREAT', display: 'treatment' },
  grant: { code: 'PATRQT', display: 'patient requested' },
  break_glass: { code: 'ETREAT', display: 'Emergency Treatment' },
  duty: { code: 'HOPERAT', display: 'healthcare operations' },
};

function agentOf(e: AccessLogEntry): AuditEventAgent {
  if (e.actorId === null) return { requestor: false, who: { display: 'MedVault' } };
  const purpose = e.relation === null ? undefined : PURPOSE[e.relation];
  return {
    requestor: true,
    who: {
      reference: `${e.actorRole === 'patient' ? 'Patient' : 'Practitioner'}/${e.actorId}`,
      ...(e.actorName === null ? {} : { display: e.actorName }),
    },
    ...(e.actorRole === null
      ? {}
      : { role: [{ coding: [{ system: ROLE_SYSTEM, code: e.actorRole }], text: e.actorRole }] }),
    ...(e.relation === null
      ? {}
      : {
          purposeOfUse: [
            {
              coding: [
                ...(purpose === undefined ? [] : [{ system: ACT_REASON, ...purpose }]),
                { system: ACCESS_RELATION_SYSTEM, code: e.relation },
              ],
              ...(e.breakGlassReason === null ? {} : { text: e.breakGlassReason }),
            },
          ],
        }),
  };
}

export function auditEventResource(patientId: string, e: AccessLogEntry): AuditEvent {
  const entities: AuditEventEntity[] = [
    { what: patientRef(patientId), role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } },
  ];
  if (e.recordId !== null)
    entities.push({
      what: { identifier: { system: RECORD_ID_SYSTEM, value: e.recordId } },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      ...(e.recordType === null ? {} : { description: e.recordType }),
    });
  return {
    resourceType: 'AuditEvent',
    id: `ledger-${e.seq}`,
    ...(e.count > 1 ? { extension: [{ url: EXT_ACCESS_COUNT, valueInteger: e.count }] } : {}),
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: AUDIT_ACTION_SYSTEM, code: e.action }],
    action: crudeOf(e.action),
    period: { start: instant(e.firstTime), end: instant(e.time) },
    recorded: instant(e.time),
    outcome: outcomeOf(e),
    agent: [agentOf(e)],
    source: { observer: { display: 'MedVault audit ledger' } },
    entity: entities,
  };
}
