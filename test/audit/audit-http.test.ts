import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../src/app/actor.js';
import { verifySignedCheckpoint } from '../../src/crypto/checkpoint.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/crypto/merkle.js';
import { runCli } from '../support/cli.js';
import { createTestStore, DIALECTS, tempDir, type TestStore } from '../support/stores.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jsonCaller } from '../support/http.js';
import { items, num, text } from '../support/json-answer.js';
import { insertUser, tokenFor } from '../support/people.js';

async function addUser(server: TestServer, role: Role): Promise<{ actor: Actor; token: string }> {
  const actor = await insertUser(server.app.store.db, role, null);
  return { actor, token: await tokenFor(server.app, actor) };
}

const b64 = (s: string) => Buffer.from(s, 'base64');

describe.each(DIALECTS)('audit ledger over HTTP on %s', (dialect) => {
  let t: TestStore;
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let admin: { actor: Actor; token: string };
  let doctor: { actor: Actor; token: string };
  let patient: { actor: Actor; token: string };
  let other: { actor: Actor; token: string };
  const append = (patientId: string | null, action: 'record.read' | 'login.success' = 'record.read') =>
    server.app.audit.ledger.append(server.app.store.db, {
      actor: doctor.actor,
      action,
      target: { type: 'record', id: randomUUID() },
      patientId,
      outcome: 'success',
    });

  beforeAll(async () => {
    t = await createTestStore(dialect, { migrate: false });
    server = await startTestServer(t.databaseUrl ? { databaseUrl: t.databaseUrl } : {});
    call = jsonCaller(server.url);
    admin = await addUser(server, 'admin');
    doctor = await addUser(server, 'doctor');
    patient = await addUser(server, 'patient');
    other = await addUser(server, 'patient');
    for (let i = 0; i < 6; i++) await append(i % 2 === 0 ? patient.actor.userId : other.actor.userId);
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it('publishes the public key to anyone and checkpoints to any logged-in user', async () => {
    const key = await call('GET', '/api/v1/audit/public-key');
    expect(key.status).toBe(200);
    expect((await call('GET', '/api/v1/audit/checkpoint')).status).toBe(401);
    const cp = await call('GET', '/api/v1/audit/checkpoint', { token: doctor.token });
    expect(cp.status).toBe(200);
    const checked = verifySignedCheckpoint(text(cp.body.note), text(key.body.verifierKey));
    expect(checked.treeSize).toBe(cp.body.treeSize);
    expect(checked.rootHash.toString('base64')).toBe(cp.body.root);
  });

  it('lists entries for admins only, with filters', async () => {
    expect((await call('GET', '/api/v1/audit/entries')).status).toBe(401);
    for (const who of [doctor, patient])
      expect((await call('GET', '/api/v1/audit/entries', { token: who.token })).status).toBe(403);
    const page = await call('GET', `/api/v1/audit/entries?patientId=${patient.actor.userId}&limit=2`, {
      token: admin.token,
    });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(2);
    expect(items(page.body.entries).every((e) => text(e.patientId) === patient.actor.userId)).toBe(true);
    expect(num(items(page.body.entries)[0]?.seq)).toBeGreaterThan(num(items(page.body.entries)[1]?.seq));
    expect((await call('GET', '/api/v1/audit/entries?limit=500', { token: admin.token })).status).toBe(400);
    expect((await call('GET', '/api/v1/audit/entries?bogus=1', { token: admin.token })).status).toBe(400);
  });

  it('gives an admin an inclusion proof of any entry that verifies against a signed checkpoint', async () => {
    const cp = await call('GET', '/api/v1/audit/checkpoint', { token: admin.token });
    const size = num(cp.body.treeSize);
    for (let index = 0; index < size; index++) {
      const p = await call('GET', `/api/v1/audit/proofs/inclusion?index=${index}&treeSize=${size}`, {
        token: admin.token,
      });
      expect(p.status).toBe(200);
      const leaf = leafHash(Buffer.from(text(p.body.entry), 'utf8'));
      expect(
        verifyInclusion(
          leaf,
          index,
          size,
          items(p.body.proof).map((h) => b64(text(h))),
          b64(text(cp.body.root)),
        ),
      ).toBe(true);
      expect(
        verifyInclusion(
          leaf,
          index,
          size,
          items(p.body.proof).map((h) => b64(text(h))),
          Buffer.alloc(32),
        ),
      ).toBe(false);
    }
  });

  it('lets a patient prove entries about them, and nothing else', async () => {
    const size = num((await call('GET', '/api/v1/audit/checkpoint', { token: patient.token })).body.treeSize);
    const mine = await call('GET', `/api/v1/audit/entries?patientId=${patient.actor.userId}&limit=200`, {
      token: admin.token,
    });
    const ownSeq = num(items(mine.body.entries)[0]?.seq);
    const own = await call('GET', `/api/v1/audit/proofs/inclusion?index=${ownSeq}&treeSize=${size}`, {
      token: patient.token,
    });
    expect(own.status).toBe(200);
    expect(JSON.parse(text(own.body.entry)).patientId).toBe(patient.actor.userId);
    const theirs = await call('GET', `/api/v1/audit/entries?patientId=${other.actor.userId}&limit=1`, {
      token: admin.token,
    });
    const foreign = await call(
      'GET',
      `/api/v1/audit/proofs/inclusion?index=${num(items(theirs.body.entries)[0]?.seq)}&treeSize=${size}`,
      {
        token: patient.token,
      },
    );
    expect(foreign.status).toBe(404);
    expect(
      (await call('GET', `/api/v1/audit/proofs/inclusion?index=0&treeSize=${size}`, { token: doctor.token }))
        .status,
    ).toBe(403);
    expect(
      (
        await call('GET', `/api/v1/audit/proofs/inclusion?index=99999&treeSize=${size}`, {
          token: patient.token,
        })
      ).status,
    ).toBe(404);
  });

  it('serves consistency proofs between checkpoints to any logged-in user', async () => {
    const before = (await call('GET', '/api/v1/audit/checkpoint', { token: doctor.token })).body;
    await append(patient.actor.userId);
    await append(null, 'login.success');
    const after = await server.app.audit.ledger.checkpoint(server.app.store.db);
    const p = await call(
      'GET',
      `/api/v1/audit/proofs/consistency?from=${before.treeSize}&to=${after.treeSize}`,
      { token: patient.token },
    );
    expect(p.status).toBe(200);
    expect(
      verifyConsistency(
        num(before.treeSize),
        after.treeSize,
        b64(text(before.root)),
        b64(after.root),
        items(p.body.proof).map((h) => b64(text(h))),
      ),
    ).toBe(true);
    expect(
      (await call('GET', '/api/v1/audit/proofs/consistency?from=5&to=2', { token: patient.token })).status,
    ).toBe(400);
  });

  it('verifies the whole ledger on an admin request', async () => {
    const r = await call('POST', '/api/v1/audit/verify', { token: admin.token });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect((await call('POST', '/api/v1/audit/verify', { token: doctor.token })).status).toBe(403);
  });

  it('`audit watch` accepts a growing log and exits 1 on a rolled-back one', async () => {
    const state = path.join(tempDir(), 'witness.json');
    const watch = () =>
      runCli(['audit', 'watch', '--url', server.url, '--state', state], { MEDVAULT_TOKEN: doctor.token });
    const first = await watch();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/first checkpoint accepted/);
    await append(patient.actor.userId);
    await server.app.audit.ledger.checkpoint(server.app.store.db);
    const second = await watch();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/consistent: \d+ → \d+ entries/);
    // The witness remembers a larger log than the server now shows: a rollback.
    const saved = JSON.parse(fs.readFileSync(state, 'utf8'));
    fs.writeFileSync(state, JSON.stringify({ ...saved, treeSize: saved.treeSize + 10 }));
    const third = await watch();
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/INCONSISTENT LOG: rollback/);
  }, 180_000); // three CLI processes, each a cold Node start (10–35 s each on a loaded 2-core machine)

  it('`audit watch` follows a key handover from the first key it trusted, and fails on a first-key swap', async () => {
    const state = path.join(tempDir(), 'witness.json');
    const watch = () =>
      runCli(['audit', 'watch', '--url', server.url, '--state', state], { MEDVAULT_TOKEN: doctor.token });
    const before = await call('GET', '/api/v1/audit/public-key');
    expect(before.body).toMatchObject({ firstKey: before.body.verifierKey, handovers: [] });
    const first = await watch();
    expect(first.code, first.stderr).toBe(0);
    const { app } = server;
    const handed = await app.audit.ledger.handOverSigningKey(app.store.db, admin.actor);
    await append(patient.actor.userId);
    await app.audit.ledger.checkpoint(app.store.db);
    const after = await call('GET', '/api/v1/audit/public-key');
    expect(after.body).toMatchObject({
      verifierKey: handed.verifierKey,
      firstKey: before.body.verifierKey,
      handovers: [handed.statement],
    });
    const across = await watch();
    expect(across.code, across.stderr).toBe(0);
    expect(across.stdout).toMatch(
      /consistent: \d+ → \d+ entries; followed 1 key handover\(s\), now key generation 2/,
    );
    // The server (or a man in the middle) swaps the first key: the state's first key no longer matches.
    const saved = JSON.parse(fs.readFileSync(state, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ firstKey: before.body.verifierKey, handovers: [handed.statement] });
    fs.writeFileSync(state, JSON.stringify({ ...saved, firstKey: handed.verifierKey, handovers: [] }));
    const swapped = await watch();
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(
      /INCONSISTENT LOG: the log now presents a different public key than the first key/,
    );
  }, 180_000);
});
