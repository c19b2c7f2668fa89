/**
 * The UI's route table (web/src/routes.ts): the same `#/…` URLs as ever, ids escaped both ways,
 * and anything unknown opening the role's home rather than a blank page.
 */
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/contract/vocabulary/roles.js';
import { NAV } from '../../web/src/nav.js';
import { href, matchRoute, sectionOf } from '../../web/src/routes.js';

describe('href', () => {
  it('writes the URLs bookmarks and tests already use', () => {
    expect(href('records')).toBe('#/records');
    expect(href('access-history')).toBe('#/access-history');
    expect(href('patient', { patientId: 'p1' })).toBe('#/patients/p1');
    expect(href('patient-new-record', { patientId: 'p1' })).toBe('#/patients/p1/new');
    expect(href('search', { keyword: 'Diabetes' })).toBe('#/search?keyword=Diabetes');
    expect(
      href('patient-record', { patientId: 'p1', recordId: 'r1', saved: '1', uploadError: undefined }),
    ).toBe('#/patients/p1/records/r1?saved=1');
  });

  it('escapes ids so that an id can never change the route', () => {
    expect(href('patient-record', { patientId: 'p/1', recordId: '../x?y' })).toBe(
      '#/patients/p%2F1/records/..%2Fx%3Fy',
    );
  });
});

describe('matchRoute', () => {
  it('reads path and query parameters, decoding ids', () => {
    expect(matchRoute('doctor', '#/patients/p%2F1/records/r1?saved=1')).toMatchObject({
      name: 'patient-record',
      params: { patientId: 'p/1', recordId: 'r1', saved: '1', uploadError: undefined },
    });
    expect(matchRoute('doctor', '#/search?keyword=asthma').params.keyword).toBe('asthma');
    expect(matchRoute('patient', '#/records/r9')).toMatchObject({
      name: 'record',
      params: { recordId: 'r9' },
    });
  });

  it('round-trips every link it makes', () => {
    const link = href('patient-new-record-of-type', { patientId: 'a b', type: 'vitals' });
    expect(matchRoute('doctor', link)).toMatchObject({
      name: 'patient-new-record-of-type',
      params: { patientId: 'a b', type: 'vitals' },
    });
  });

  it('takes the longest route a path begins with, ignoring extra segments', () => {
    expect(matchRoute('doctor', '#/patients/p1/records').name).toBe('patient');
    expect(matchRoute('patient', '#/records/r1/extra').name).toBe('record');
  });

  it("opens the role's home for an empty hash, an unknown path or another role's page", () => {
    for (const role of ROLES) {
      const home = NAV[role][0]?.path;
      expect(matchRoute(role, '').name).toBe(home);
      expect(matchRoute(role, '#/no-such-page').name).toBe(home);
    }
    expect(matchRoute('patient', '#/users').name).toBe('dashboard');
  });

  it("opens every role's own account page (its Security section) at the one #/account", () => {
    expect(href('account')).toBe('#/account');
    for (const role of ROLES) {
      expect(matchRoute(role, '#/account').name).toBe('account');
      expect(NAV[role].map((item) => item.path)).toContain('account');
    }
  });

  it('gives sub-views their own identity by path, not by query', () => {
    const a = matchRoute('doctor', '#/patients/p1');
    const b = matchRoute('doctor', '#/patients/p2');
    expect(a.identity).not.toBe(b.identity);
    expect(matchRoute('doctor', '#/search?keyword=a').identity).toBe(
      matchRoute('doctor', '#/search?keyword=b').identity,
    );
  });

  it('puts every route under the navigation item of its first segment', () => {
    expect(sectionOf('patient-record')).toBe('patients');
    expect(sectionOf('record')).toBe('records');
    expect(sectionOf('statistics')).toBe('statistics');
  });
});
