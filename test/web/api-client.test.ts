/**
 * The web's API modules (web/src/api/*) over the one contract client: an answer that does not fit
 * is refused whole and said to the user, never guessed at or shortened; a 401 from a data route
 * (not from a login) ends the session in the UI. Replaces the old hand parsers' tests, whose
 * guessing (`items`/`data`/`results`, ISO or epoch times, bare arrays) is gone on purpose.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkAnswer } from '../../src/contract/client/index.js';
import { ApiError, ContractMismatch, onSessionLost } from '../../web/src/api/client.js';
import { listUsers } from '../../web/src/api/admin.js';
import { loginPatient } from '../../web/src/api/auth.js';
import { listPendingPrescriptions } from '../../web/src/api/prescriptions.js';

const staffUser = (id: string, username: unknown = `user-${id}`) => ({
  id,
  role: 'doctor',
  username,
  displayName: null,
  status: 'active',
  createdAt: 1_700_000_000_000,
  enrolled: true,
  keys: [],
});

function jsonAnswer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('answers are held to the contract, never guessed at', () => {
  it('refuses a list under another name, a bare array, or no list at all', () => {
    for (const body of [{ users: 'nope' }, [staffUser('1')], { items: [staffUser('1')] }, null])
      expect(() => checkAnswer('listStaffUsers', 200, body)).toThrow(ContractMismatch);
  });

  it('refuses a whole list when one row does not fit, naming the row and field', () => {
    const body = { users: [staffUser('1'), staffUser('2', 42), staffUser('3')] };
    expect(() => checkAnswer('listStaffUsers', 200, body)).toThrow(
      expect.objectContaining({ route: 'listStaffUsers', field: '/users/1/username' }),
    );
  });

  it('reads times as epoch milliseconds only (an ISO string is off the contract)', () => {
    const body = { users: [{ ...staffUser('1'), createdAt: '2024-01-01T00:00:00Z' }] };
    expect(() => checkAnswer('listStaffUsers', 200, body)).toThrow(ContractMismatch);
  });

  it('a page module gives the page the error, not a shortened list', async () => {
    const body = { users: [staffUser('1'), { ...staffUser('2'), role: 'janitor' }] };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonAnswer(200, body)),
    );
    await expect(listUsers()).rejects.toBeInstanceOf(ContractMismatch);
  });
});

describe('the one client instance', () => {
  const unauthenticated = () =>
    jsonAnswer(401, { error: { code: 'unauthenticated', message: 'You are not logged in.' } });

  it('a 401 from a data route ends the session in the UI; a refused login does not', async () => {
    const lost = vi.fn();
    const stop = onSessionLost(lost);
    try {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => unauthenticated()),
      );
      await expect(loginPatient({ ssn: '123-45-6789', pin: '123456', password: 'x' })).rejects.toBeInstanceOf(
        ApiError,
      );
      expect(lost).not.toHaveBeenCalled();
      await expect(listUsers()).rejects.toBeInstanceOf(ApiError);
      expect(lost).toHaveBeenCalledTimes(1);
    } finally {
      stop();
    }
  });

  it('sends the session cookie and the CSRF header on writes', async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => unauthenticated());
    vi.stubGlobal('fetch', fetch);
    await expect(loginPatient({ ssn: '123-45-6789', pin: '123456', password: 'x' })).rejects.toThrow();
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'x-medvault-csrf': '1' });
  });

  it('follows the queue past its first page', async () => {
    const row = (id: string) => ({
      id,
      patient: { id: 'p1', name: null },
      prescriber: { id: 'd1', name: null },
      fillsRemaining: 1,
      issuedAt: 1_700_000_000_000,
      expiresAt: 1_800_000_000_000,
      details: null,
    });
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return url.includes('cursor=')
          ? jsonAnswer(200, { items: [row('101')], nextCursor: null })
          : jsonAnswer(200, { items: [row('1')], nextCursor: 'next-page' });
      }),
    );
    const queue = await listPendingPrescriptions();
    expect(queue.map((item) => item.id)).toEqual(['1', '101']);
    expect(urls[1]).toContain('cursor=next-page');
  });
});
