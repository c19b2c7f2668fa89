/**
 * Sets up people for browser tests through MedVault's own front doors, never its tables:
 * the first admin with the `medvault users add` CLI, everyone else through the HTTP API as an
 * admin or registrar would. Runs in Node, next to the browser.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { CSRF_HEADER } from '../../web/src/api/client.js';
import { LoginChallengeSchema, loginMessage } from '../../src/contract/signing/index.js';
import type { TestServer } from '../support/server.js';
import { tempDir } from '../support/stores.js';
import { runCli } from '../support/cli.js';

/** Long, uncommon: passes the server's password rules. */
export const STAFF_PASSWORD = 'Tangerine-Kettle-4471';
export const PATIENT_PASSWORD = 'Lighthouse-Marmalade-93';

export interface StaffCredentials {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  /** PKCS#8 PEM, as the staff member's key file holds it. */
  readonly privateKeyPem: string;
}

/** `medvault users add` against the test server's data folder, password on standard input. */
export async function addStaffWithCli(
  server: TestServer,
  role: 'admin' | 'registrar' | 'doctor' | 'pharmacist',
  username: string,
  password = STAFF_PASSWORD,
): Promise<StaffCredentials & { readonly keyFile: string }> {
  const keyFile = path.join(tempDir('medvault-key-'), `${username}.pem`);
  const args = ['users', 'add', '--role', role, '--username', username, '--key-out', keyFile];
  const result = await runCli(args, { MEDVAULT_DATA_DIR: server.app.config.dataDir }, `${password}\n`);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const id = /user id:\s*(\S+)/.exec(result.stdout)?.[1];
  if (!id) throw new Error(`users add printed no user id: ${result.stdout}`);
  return { id, username, password, privateKeyPem: readFileSync(keyFile, 'utf8'), keyFile };
}

/** A logged-in API client (Bearer token), as a script would use MedVault. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request(method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}/api/v1${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        [CSRF_HEADER]: '1',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

async function postJson(server: TestServer, route: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/v1${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Staff login from Node: challenge, sign its login message with node:crypto, log in. */
export async function loginStaffApi(server: TestServer, staff: StaffCredentials): Promise<ApiClient> {
  const { challengeId, challenge } = await postJson(server, '/auth/staff/challenge', {
    username: staff.username,
  });
  const key = createPrivateKey(staff.privateKeyPem);
  const digest = key.asymmetricKeyType === 'rsa' ? 'sha256' : null;
  if (!Value.Check(LoginChallengeSchema, challenge)) throw new Error('not a login challenge');
  const signature = sign(digest, loginMessage(challenge), key).toString('base64');
  const answer = await postJson(server, '/auth/staff/login', {
    username: staff.username,
    password: staff.password,
    challengeId,
    signature,
  });
  return new ApiClient(server.url, String(answer.token));
}

/**
 * Creates an active staff account with a key pair made here, through the operator's path (as
 * `medvault users add` does): since the two-person rule, an admin alone can no longer make a
 * usable account, and these page tests are about the pages, not enrolment (test/browser/
 * admin-users.test.ts drives invite, enrolment and approval).
 */
export async function createStaffApi(
  server: TestServer,
  role: 'admin' | 'registrar' | 'doctor' | 'pharmacist',
  username: string,
  options: { displayName?: string; keyType?: 'ed25519' | 'rsa' } = {},
): Promise<StaffCredentials> {
  const pair =
    options.keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ed25519');
  const created = await server.app.identity.staffAccounts.createAsOperator({
    role,
    username,
    displayName: options.displayName ?? username,
    password: STAFF_PASSWORD,
    key: { publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
  });
  return { id: created.user.id, username, password: STAFF_PASSWORD, privateKeyPem: pemOf(pair.privateKey) };
}

export function pemOf(privateKey: KeyObject): string {
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export interface PatientCredentials {
  readonly patientId: string;
  readonly ssn: string;
  readonly pin: string;
  readonly password: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly recoveryCode: string;
}

let ssnCounter = 0;

/** A fresh, well-formed SSN per call (each test file has its own server, so unique is enough). */
export function nextSsn(): string {
  ssnCounter += 1;
  return `512-${String(10 + ssnCounter).padStart(2, '0')}-${String(1000 + ssnCounter)}`;
}

/** Registers a patient through POST /patients as the given registrar. */
export async function registerPatientApi(
  registrar: ApiClient,
  fullName: string,
  overrides: Partial<Pick<PatientCredentials, 'ssn' | 'pin' | 'dateOfBirth'>> = {},
): Promise<PatientCredentials> {
  const input = {
    ssn: overrides.ssn ?? nextSsn(),
    fullName,
    dateOfBirth: overrides.dateOfBirth ?? '1985-04-12',
    pin: overrides.pin ?? '482915',
    password: PATIENT_PASSWORD,
    smokingStatus: 'never',
  };
  // The registrar registers identity only; the patient enrols with the slip's code.
  const { pin, password, ...identity } = input;
  const answer = (await registrar.request('POST', '/patients', identity)) as Record<string, unknown>;
  const enrolled = (await registrar.request('POST', '/auth/patient/enrol', {
    ssn: input.ssn,
    enrolmentCode: String(answer.enrolmentCode),
    pin,
    password,
  })) as Record<string, unknown>;
  return {
    ...input,
    patientId: String(answer.patientId),
    recoveryCode: String(enrolled.recoveryCode),
  };
}
