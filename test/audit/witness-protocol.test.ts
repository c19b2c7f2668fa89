import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CosigningWitness } from '../../src/app/audit/cosigning-witness.js';
import { WitnessClient } from '../../src/app/audit/witness-client.js';
import { formatAddCheckpoint } from '../../src/app/audit/witness-protocol.js';
import { formatCheckpoint, signCheckpoint, verifierKeyString } from '../../src/crypto/checkpoint.js';
import { parseCosignerKey, verifyCosignature } from '../../src/crypto/cosignature.js';
import { signHandover } from '../../src/crypto/key-handover.js';
import { leafHash, rootFromLeafHashes } from '../../src/crypto/merkle.js';
import { consistencyProofFromLeaves } from '../../src/crypto/merkle-reference.js';
import { tempDir } from '../support/stores.js';
import { startTestWitness } from '../support/witness-server.js';

/**
 * A real witness (CosigningWitness behind its HTTP server) against the log's client and against a
 * log operator who tries to have a rolled-back or forked log cosigned.
 */
const ORIGIN = 'medvault/test';
const LOG = generateKeyPairSync('ed25519');
const LOG_VKEY = verifierKeyString(ORIGIN, LOG.publicKey);
const NAME = 'witness.test/w1';

const leaves = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${tag}${i}`)));
const noteOf = (ls: Buffer[], key = LOG.privateKey) =>
  signCheckpoint(
    formatCheckpoint({
      origin: ORIGIN,
      treeSize: ls.length,
      rootHash: rootFromLeafHashes(ls),
      timestamp: 1_714_000_000,
    }),
    ORIGIN,
    key,
  );
const prover = (ls: Buffer[]) => async (from: number, to: number) =>
  consistencyProofFromLeaves(ls, from, to).map((h) => h.toString('base64'));

describe('witness (C2SP tlog-witness add-checkpoint)', () => {
  let dir: string;
  let server: FastifyInstance | undefined;
  let url: string;
  let witnessKey: string;
  const witnessPrivate = generateKeyPairSync('ed25519').privateKey;

  async function start(): Promise<void> {
    const started = await startTestWitness({
      name: NAME,
      privateKey: witnessPrivate,
      logs: [LOG_VKEY],
      stateFile: path.join(dir, 'state.json'),
      clock: () => 1_714_000_123_000,
    });
    ({ server, url, key: witnessKey } = started);
  }
  const post = (body: string) => fetch(`${url}/add-checkpoint`, { method: 'POST', body });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cosigns a first checkpoint and a consistent larger one; the cosignature verifies with its key', async () => {
    dir = tempDir();
    await start();
    const client = new WitnessClient({ url, key: witnessKey });
    const log = leaves('a', 300);
    const first = await client.submit(noteOf(log.slice(0, 100)), prover(log));
    expect(first).toMatchObject({ kind: 'cosigned', timestamp: 1_714_000_123 });
    const grown = await client.submit(noteOf(log), prover(log));
    expect(grown.kind).toBe('cosigned');
    if (grown.kind === 'cosigned')
      expect(verifyCosignature(grown.note, parseCosignerKey(witnessKey)).witness).toBe(NAME);
    const latest = await (await fetch(`${url}/latest?origin=${encodeURIComponent(ORIGIN)}`)).text();
    expect(latest).toBe(grown.kind === 'cosigned' ? grown.note : '');
    expect((fs.statSync(path.join(dir, 'state.json')).mode & 0o777).toString(8)).toBe('600');
  });

  it('refuses a rolled-back (smaller) checkpoint with 409 and the size it cosigned, even after a restart', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 300);
    expect((await new WitnessClient({ url, key: witnessKey }).submit(noteOf(log), prover(log))).kind).toBe(
      'cosigned',
    );
    await server?.close();
    await start(); // the state survives the restart
    const truncated = log.slice(0, 175);
    const res = await post(formatAddCheckpoint(0, [], noteOf(truncated)));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^text\/x\.tlog\.size/);
    expect(await res.text()).toBe('300\n');
    // The log's client reports it as a truncation, never as a reason to cosign.
    const verdict = await new WitnessClient({ url, key: witnessKey }).submit(
      noteOf(truncated),
      prover(truncated),
    );
    expect(verdict).toMatchObject({ kind: 'conflict', witnessSize: 300 });
    if (verdict.kind === 'conflict') expect(verdict.message).toMatch(/truncated or rolled back/);
  });

  it('refuses a fork: another tree of the same size (409) or a larger tree that does not extend it (422)', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 100);
    await new WitnessClient({ url, key: witnessKey }).submit(noteOf(log), prover(log));
    const fork = [...log.slice(0, 50), ...leaves('X', 50)];
    const same = await post(formatAddCheckpoint(100, [], noteOf(fork)));
    expect(same.status).toBe(409);
    const grownFork = [...fork, ...leaves('Y', 20)];
    const proof = consistencyProofFromLeaves(grownFork, 100, 120).map((h) => h.toString('base64'));
    expect((await post(formatAddCheckpoint(100, proof, noteOf(grownFork)))).status).toBe(422);
    const client = new WitnessClient({ url, key: witnessKey });
    expect((await client.submit(noteOf(grownFork), prover(grownFork))).kind).toBe('conflict');
  });

  it('answers 404 for an unknown log, 403 for a checkpoint not signed by the log, 400 for a malformed body', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 10);
    const other = generateKeyPairSync('ed25519').privateKey;
    const unknown = signCheckpoint(
      formatCheckpoint({
        origin: 'other/log',
        treeSize: 10,
        rootHash: rootFromLeafHashes(log),
        timestamp: 1,
      }),
      'other/log',
      other,
    );
    expect((await post(formatAddCheckpoint(0, [], unknown))).status).toBe(404);
    expect((await post(formatAddCheckpoint(0, [], noteOf(log, other)))).status).toBe(403);
    expect((await post('old 01\n\n' + noteOf(log))).status).toBe(400);
    expect((await post(formatAddCheckpoint(11, [], noteOf(log)))).status).toBe(400);
  });

  it("the log's client refuses a forged cosignature in the witness's answer", async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 10);
    // A man in the middle answers for the witness with a signature by some other key.
    const forger = CosigningWitness.open({
      name: NAME,
      privateKey: generateKeyPairSync('ed25519').privateKey,
      logs: [LOG_VKEY],
      stateFile: path.join(dir, 'forger.json'),
    });
    const fake: typeof fetch = async (_input, init) => {
      const answer = await forger.addCheckpoint(String(init?.body));
      return new Response(answer.body, {
        status: answer.status,
        headers: { 'content-type': answer.contentType },
      });
    };
    const verdict = await new WitnessClient({ url, key: witnessKey }, fake).submit(noteOf(log), prover(log));
    expect(verdict).toMatchObject({ kind: 'failed' });
    if (verdict.kind === 'failed') expect(verdict.message).toMatch(/without a valid cosignature/);
  });
});

/**
 * Key handovers (our add-handover, outside tlog-witness): the witness trusts the log's FIRST key
 * and follows statements that continue the chain; the log's client gives them on a 403.
 */
describe('witness following key handovers', () => {
  const NEW = generateKeyPairSync('ed25519');
  const MALLORY = generateKeyPairSync('ed25519');
  const witnessPrivate = generateKeyPairSync('ed25519').privateKey;
  const handover = (
    treeSize: number,
    oldKey = LOG.privateKey,
    newKey = NEW.privateKey,
    timestamp = 1_714_000_500,
  ) => signHandover({ origin: ORIGIN, generation: 2, treeSize, timestamp }, oldKey, newKey);
  /** The statement with only its last signature line (the new key's). */
  const newKeyOnly = (statement: string) => {
    const lines = statement.split('\n');
    return [...lines.slice(0, -3), lines.at(-2), ''].join('\n');
  };
  let dir: string;
  let server: FastifyInstance | undefined;
  let url: string;
  let witnessKey: string;
  const state = () => path.join(dir, 'state.json');

  async function start(handovers: { firstKey: string; statements: string[] }[] = []): Promise<void> {
    const started = await startTestWitness({
      name: NAME,
      privateKey: witnessPrivate,
      logs: [LOG_VKEY],
      stateFile: state(),
      clock: () => 1_714_000_123_000,
      handovers,
    });
    ({ server, url, key: witnessKey } = started);
  }
  const post = (body: string) => fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  const postHandover = async (body: string) => {
    const res = await fetch(`${url}/add-handover`, { method: 'POST', body });
    return { status: res.status, text: await res.text() };
  };
  const client = (statements: string[] = []) =>
    new WitnessClient({ url, key: witnessKey }, fetch, async () => statements);

  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cosigns a checkpoint by the new key once the client has pushed the handover; kept across a restart', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 300);
    expect((await client().submit(noteOf(log.slice(0, 100)), prover(log))).kind).toBe('cosigned');
    const statement = handover(150);
    // Before: a witness that knows only the first key refuses the new key's checkpoint.
    const before = await client().submit(noteOf(log.slice(0, 200), NEW.privateKey), prover(log));
    expect(before).toMatchObject({ kind: 'failed' });
    if (before.kind === 'failed') expect(before.message).toMatch(/\(403\)/);
    const after = await client([statement]).submit(noteOf(log.slice(0, 200), NEW.privateKey), prover(log));
    expect(after.kind).toBe('cosigned');
    const saved = JSON.parse(fs.readFileSync(state(), 'utf8')) as {
      version: number;
      logs: Record<string, { size: number; handovers: string[] }>;
    };
    expect(saved.version).toBe(2);
    expect(saved.logs[ORIGIN]).toMatchObject({ size: 200, handovers: [statement] });
    await server?.close();
    await start();
    expect((await client().submit(noteOf(log, NEW.privateKey), prover(log))).kind).toBe('cosigned');
    // The same statement again is no change; checkpoints by the old key past 150 are refused.
    expect(await postHandover(statement)).toMatchObject({
      status: 200,
      text: expect.stringMatching(/already held/),
    });
    const oldPast = await post(formatAddCheckpoint(300, [], noteOf(log)));
    expect(oldPast.status).toBe(403);
    expect(await oldPast.text()).toMatch(/generation 1, which signs sizes 0\.\.150/);
  });

  it('refuses a forged handover: signed by a key not in the chain, or by the new key only', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 100);
    const byMallory = handover(50, MALLORY.privateKey, NEW.privateKey);
    // Mallory vouching for her own key: one key's signature twice is not even a signed note.
    expect((await postHandover(handover(50, MALLORY.privateKey, MALLORY.privateKey))).status).toBe(400);
    for (const forged of [byMallory, newKeyOnly(handover(50))]) {
      const answer = await postHandover(forged);
      expect(answer.status).toBe(422);
      expect(answer.text).toMatch(/does not continue the log's key chain/);
    }
    // Pushed by a client too: refused, and a checkpoint by the forged key is never cosigned.
    const verdict = await client([byMallory]).submit(noteOf(log, NEW.privateKey), prover(log));
    expect(verdict).toMatchObject({ kind: 'failed' });
    if (verdict.kind === 'failed')
      expect(verdict.message).toMatch(/refused the ledger's key handover \(422\)/);
    expect((await post(formatAddCheckpoint(0, [], noteOf(log, MALLORY.privateKey)))).status).toBe(403);
    expect(fs.existsSync(state())).toBe(false); // nothing was accepted
    expect((await postHandover('not a statement')).status).toBe(400);
  });

  it('refuses a handover below the size it cosigned (the old key signed beyond its span), and a second handover of one key', async () => {
    dir = tempDir();
    await start();
    const log = leaves('a', 300);
    expect((await client().submit(noteOf(log.slice(0, 200)), prover(log))).kind).toBe('cosigned');
    const below = await postHandover(handover(150));
    expect(below.status).toBe(409);
    expect(below.text).toMatch(/cosigned 200 entries .* beyond its span/);
    const verdict = await client([handover(150)]).submit(noteOf(log, NEW.privateKey), prover(log));
    expect(verdict).toMatchObject({ kind: 'conflict' });

    expect((await postHandover(handover(250))).status).toBe(200);
    const twice = await postHandover(handover(260, LOG.privateKey, NEW.privateKey, 1_714_000_999));
    expect(twice.status).toBe(409);
    expect(twice.text).toMatch(/signed two handovers/);
  });

  it('reads a version 1 state file, and takes handovers at start (`witness serve --handovers`), refusing forged ones', async () => {
    dir = tempDir();
    const log = leaves('a', 300);
    const v1 = { version: 1, logs: {} as Record<string, unknown> };
    await start();
    await client().submit(noteOf(log.slice(0, 100)), prover(log));
    const v2 = JSON.parse(fs.readFileSync(state(), 'utf8')) as {
      logs: Record<string, Record<string, unknown>>;
    };
    const { handovers: _none, ...cosigned } = v2.logs[ORIGIN]!;
    v1.logs[ORIGIN] = cosigned;
    fs.writeFileSync(state(), JSON.stringify(v1));
    await server?.close();
    expect(() =>
      CosigningWitness.open({
        name: NAME,
        privateKey: witnessPrivate,
        logs: [LOG_VKEY],
        stateFile: state(),
        handovers: [{ firstKey: LOG_VKEY, statements: [newKeyOnly(handover(150))] }],
      }),
    ).toThrow(/refused: the statement does not continue/);
    await start([{ firstKey: LOG_VKEY, statements: [handover(150)] }]);
    // The v1 state's size holds (409 with 100), and the new key is followed from the start.
    expect((await client().submit(noteOf(log.slice(0, 200), NEW.privateKey), prover(log))).kind).toBe(
      'cosigned',
    );
  });
});
