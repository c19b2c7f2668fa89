import { describe, expect, it } from 'vitest';
import {
  covers,
  PERMISSIONS,
  reachDetails,
  reachFor,
  roleMay,
  type Permission,
  type Relationships,
} from '../../src/app/access/index.js';
import { ROLES, type Role } from '../../src/app/actor.js';
import type { DoctorPatientLinks } from '../../src/store/access-repository.js';

/** The access module's rules on their own, no database: the role table and each relation. */

const P = 'patient-1';
const clinician = (links: Partial<DoctorPatientLinks>): Relationships => ({
  kind: 'clinician',
  links: { onCareTeam: false, grants: [], breakGlass: undefined, ...links },
});
const grant = (id: string, scope: string, recordTypes: string[] | null = null) => ({
  id,
  scope,
  recordTypes,
});
const glass = { id: 'bg-1', expiresAt: 1 };

describe('the role → permission table', () => {
  /** Exactly what each role holds; everything else is denied. */
  const HOLDS: Record<Role, Permission[]> = {
    // Staff hold `keys.own` (adding and rotating their own signing keys); only admins decide
    // two-person requests (issue 14).
    admin: [
      'users.manage',
      'audit.read',
      'analytics.query',
      'accesslog.read',
      'ledger.prove',
      'approvals.decide',
      'keys.own',
    ],
    registrar: [
      'patients.register',
      'patients.demographics',
      'patients.find',
      'careteam.assign',
      'pin.reset',
      'patients.reenrol',
      'approvals.decide',
      'keys.own',
    ],
    doctor: [
      'records.read',
      'records.write',
      'records.search',
      'patients.find',
      'break_glass',
      'medicines.read',
      'prescriptions.sign',
      'keys.own',
    ],
    pharmacist: ['medicines.read', 'prescriptions.dispense', 'keys.own'],
    patient: ['records.read', 'grants.manage', 'accesslog.read', 'ledger.prove', 'account.self'],
  };
  const EVERYONE: Permission[] = ['doctors.list', 'ledger.witness'];

  it.each(ROLES)('%s holds its listed permissions and is denied every other', (role) => {
    const held = PERMISSIONS.filter((p) => roleMay(role, p));
    expect(held.sort()).toEqual([...HOLDS[role], ...EVERYONE].sort());
  });

  it('denies by default: a role it does not know holds nothing', () => {
    for (const p of PERMISSIONS) expect(roleMay('superuser' as Role, p)).toBe(false);
  });

  it('keeps separation of duties: admins, registrars and pharmacists read no record', () => {
    for (const role of ['admin', 'registrar', 'pharmacist'] as const) {
      expect(roleMay(role, 'records.read')).toBe(false);
      expect(roleMay(role, 'records.write')).toBe(false);
    }
    expect(roleMay('patient', 'records.write')).toBe(false);
  });
});

describe('the relationship rules', () => {
  it('a patient reads their own records only, and writes none', () => {
    expect(reachFor(P, { kind: 'self', isPatient: true }, 'read')).toEqual({
      relation: 'self',
      patientId: P,
      need: 'read',
      recordTypes: 'all',
    });
    expect(reachFor(P, { kind: 'self', isPatient: true }, 'write')).toBeUndefined();
    expect(reachFor(P, { kind: 'self', isPatient: false }, 'read')).toBeUndefined();
  });

  it('roles with no relationship reach nobody', () => {
    expect(reachFor(P, { kind: 'none' }, 'read')).toBeUndefined();
    expect(reachFor(P, { kind: 'none' }, 'write')).toBeUndefined();
  });

  it('a doctor with no live relationship reaches nobody (expired and revoked grants never arrive)', () => {
    expect(reachFor(P, clinician({}), 'read')).toBeUndefined();
    expect(reachFor(P, clinician({}), 'write')).toBeUndefined();
  });

  it('the care team reads and writes every type', () => {
    for (const need of ['read', 'write'] as const) {
      const reach = reachFor(P, clinician({ onCareTeam: true }), need, 'diagnosis');
      expect(reach).toMatchObject({ relation: 'care_team', recordTypes: 'all', need });
    }
  });

  it('a read grant reads the types it covers and writes nothing', () => {
    const rel = clinician({ grants: [grant('g1', 'read', ['lab_result'])] });
    const read = reachFor(P, rel, 'read');
    expect(read?.relation).toBe('grant');
    expect(covers(read!, 'lab_result')).toBe(true);
    expect(covers(read!, 'diagnosis')).toBe(false);
    expect(reachFor(P, rel, 'read', 'diagnosis')).toBeUndefined();
    expect(reachFor(P, rel, 'write')).toBeUndefined();
    expect(reachFor(P, rel, 'write', 'lab_result')).toBeUndefined();
  });

  it('a read_write grant writes the types it covers; writing rests on read_write grants only', () => {
    const rel = clinician({ grants: [grant('g1', 'read'), grant('g2', 'read_write', ['lab_result'])] });
    const read = reachFor(P, rel, 'read');
    expect(read).toMatchObject({ relation: 'grant', recordTypes: 'all' });
    const write = reachFor(P, rel, 'write');
    expect(write).toMatchObject({ relation: 'grant', grants: [{ id: 'g2', scope: 'read_write' }] });
    expect(covers(write!, 'lab_result')).toBe(true);
    expect(covers(write!, 'diagnosis')).toBe(false);
    expect(reachFor(P, rel, 'write', 'diagnosis')).toBeUndefined();
  });

  it('a scope outside the vocabulary counts as read-only', () => {
    const rel = clinician({ grants: [grant('g1', 'READ_WRITE'), grant('g2', 'admin')] });
    expect(reachFor(P, rel, 'read')?.relation).toBe('grant');
    expect(reachFor(P, rel, 'write')).toBeUndefined();
  });

  it('an open break-glass reads and writes every type (an emergency)', () => {
    for (const need of ['read', 'write'] as const)
      expect(reachFor(P, clinician({ breakGlass: glass }), need, 'prescription')).toMatchObject({
        relation: 'break_glass',
        breakGlassId: 'bg-1',
        recordTypes: 'all',
      });
  });

  it('prefers the care team, then grants, then break-glass — the first that covers the type', () => {
    expect(reachFor(P, clinician({ onCareTeam: true, breakGlass: glass }), 'read')?.relation).toBe(
      'care_team',
    );
    const rel = clinician({ grants: [grant('g1', 'read', ['lab_result'])], breakGlass: glass });
    expect(reachFor(P, rel, 'read')?.relation).toBe('grant');
    expect(reachFor(P, rel, 'read', 'lab_result')?.relation).toBe('grant');
    expect(reachFor(P, rel, 'read', 'diagnosis')?.relation).toBe('break_glass');
    // A read grant does not stop an open break-glass from writing.
    expect(reachFor(P, rel, 'write', 'lab_result')?.relation).toBe('break_glass');
  });
});

describe('what the ledger records of a reach', () => {
  it('names the relation, the grant (id and scope) that covers the type, or the break-glass', () => {
    const rel = clinician({
      grants: [grant('g1', 'read', ['vitals']), grant('g2', 'read_write', ['lab_result'])],
    });
    expect(reachDetails(reachFor(P, rel, 'read')!, 'lab_result')).toEqual({
      relation: 'grant',
      grantId: 'g2',
      grantScope: 'read_write',
    });
    expect(reachDetails(reachFor(P, rel, 'read')!, 'vitals')).toEqual({
      relation: 'grant',
      grantId: 'g1',
      grantScope: 'read',
    });
    // A patient-wide entry (a list) names the oldest grant.
    expect(reachDetails(reachFor(P, rel, 'read')!)).toMatchObject({ grantId: 'g1' });
    expect(reachDetails(reachFor(P, clinician({ breakGlass: glass }), 'write')!)).toEqual({
      relation: 'break_glass',
      breakGlassId: 'bg-1',
    });
    expect(reachDetails(reachFor(P, clinician({ onCareTeam: true }), 'write')!)).toEqual({
      relation: 'care_team',
    });
    expect(reachDetails({ relation: 'duty', patientId: P, duty: 'careteam.assign' })).toEqual({
      relation: 'duty',
    });
  });
});
