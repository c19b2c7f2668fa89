import { expect } from 'vitest';
import type { World } from '../records/attachment-helpers.js';
import type { TestServer } from '../support/server.js';

/** One doctor's note create and how the server answered it. */
export interface NoteWrite {
  readonly text: string;
  readonly status: number;
  readonly code?: string;
  readonly id?: string;
}

/** A doctor of `w` writes a clinical note with `text` for patient `w.p`. */
export async function writeNote(server: TestServer, w: World, text: string): Promise<NoteWrite> {
  const res = await fetch(`${server.url}/api/v1/patients/${w.p}/records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.tokens.doctor}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'clinical_note', title: `Visit ${text}`, body: { text } }),
  });
  const body = (await res.json()) as { id?: string; error?: { code?: string } };
  return {
    text,
    status: res.status,
    ...(body.error?.code === undefined ? {} : { code: body.error.code }),
    ...(body.id === undefined ? {} : { id: body.id }),
  };
}

/** Distinct "status code" pairs of the refused writes, for the run's report line. */
export const refusals = (writes: readonly NoteWrite[]): string =>
  [...new Set(writes.filter((x) => x.status !== 201).map((x) => `${x.status} ${x.code}`))].join(', ');

/**
 * Every acknowledged (201) write reads back, decrypted, with its text, and the ledger verifies:
 * what a database failure under load must leave.
 */
export async function expectAcknowledgedKept(
  server: TestServer,
  w: World,
  writes: readonly NoteWrite[],
): Promise<void> {
  for (const x of writes.filter((x) => x.status === 201)) {
    const res = await fetch(`${server.url}/api/v1/records/${x.id}`, {
      headers: { authorization: `Bearer ${w.tokens.doctor}` },
    });
    expect(res.status, x.text).toBe(200);
    expect(((await res.json()) as { body: unknown }).body).toEqual({ text: x.text });
  }
  const report = await server.app.audit.verification.verify();
  expect(report.ok, JSON.stringify(report)).toBe(true);
}
