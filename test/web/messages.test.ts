/**
 * Every message the UI shows is a sentence for people (issue 20, point 9): web/src/messages.ts
 * turns error codes and the server's schema failures into words, once, for every page.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, ContractMismatch, NetworkError } from '../../web/src/api/client.js';
import {
  describeError,
  humaniseSchemaFailure,
  schemaFailureField,
  waitWords,
} from '../../web/src/messages.js';

const invalid = (message: string) => new ApiError('registerPatient', 400, 'invalid_input', message);

describe('describeError says what happened, in words', () => {
  it('adds one wait, in minutes, to a refusal that already says "try again later"', () => {
    const error = new ApiError(
      'patientLogin',
      429,
      'rate_limited',
      'Too many failed attempts. Try again later.',
      60,
    );
    expect(describeError(error)).toBe('Too many failed attempts. Try again in 1 minute.');
    expect(describeError(new ApiError('patientLogin', 429, 'rate_limited', 'Too many attempts.', 30))).toBe(
      'Too many attempts. Try again in 30 seconds.',
    );
  });

  it('never shows a schema failure as the server words it', () => {
    expect(describeError(invalid('body/fullName must NOT have more than 200 characters'))).toBe(
      'Full name: use at most 200 characters.',
    );
    expect(describeError(invalid('params/id must match pattern "^[0-9a-f-]{36}$"'))).toBe(
      'This address does not point to anything that can exist. Check the link, or open the page from the menu.',
    );
    expect(describeError(invalid("body must have required property 'pin'"))).toBe('Fill in the PIN.');
    expect(describeError(invalid('body/text must NOT have more than 20000 characters'))).toBe(
      'Text: use at most 20,000 characters.',
    );
    expect(describeError(invalid('body/analytes/0/value must be <= 100000'))).toBe(
      'Value (row 1 of analytes): enter a number no larger than 100000.',
    );
  });

  it('says in words what a code meant for programs', () => {
    const csrf = new ApiError(
      'createGrant',
      403,
      'csrf',
      'Cookie-authenticated writes need the x-medvault-csrf: 1 header.',
    );
    expect(describeError(csrf)).not.toMatch(/x-medvault|header/i);
    const clock = new ApiError(
      'submitPrescription',
      400,
      'invalid_issue_time',
      'issuedAt is too far from the current time.',
    );
    expect(describeError(clock)).toMatch(/clock/);
    expect(describeError(clock)).not.toMatch(/issuedAt/);
  });

  it("keeps a server's specific, readable message", () => {
    expect(
      describeError(
        new ApiError(
          'registerPatient',
          409,
          'duplicate_patient',
          'A patient with this SSN is already registered.',
        ),
      ),
    ).toBe('A patient with this SSN is already registered.');
  });

  it('names the route and field of an answer that did not fit', () => {
    const text = describeError(
      new ContractMismatch('prescriptionQueue', 200, '/items/3/patient', 'is missing'),
    );
    expect(text).toContain(
      "The server's answer did not fit what this page expects (prescriptionQueue, /items/3/patient)",
    );
  });

  it('says the server could not be reached', () => {
    expect(describeError(new NetworkError('me', new TypeError('Failed to fetch')))).toBe(
      'Could not reach the MedVault server. Check your connection and try again.',
    );
  });
});

describe('schema failures', () => {
  it('name the form field they are about', () => {
    expect(schemaFailureField('body/fullName must NOT have more than 200 characters')).toBe('fullName');
    expect(schemaFailureField("body must have required property 'pin'")).toBe('pin');
    expect(schemaFailureField('params/id must match pattern "x"')).toBeUndefined();
  });

  it('are recognised only in the shape the server gives them', () => {
    expect(humaniseSchemaFailure('A patient with this SSN is already registered.')).toBeUndefined();
  });
});

describe('waits', () => {
  it('read as people say them', () => {
    expect(waitWords(1)).toBe('1 second');
    expect(waitWords(60)).toBe('1 minute');
    expect(waitWords(90)).toBe('2 minutes');
    expect(waitWords(7200)).toBe('2 hours');
  });
});
