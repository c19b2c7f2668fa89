import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, type AppContext } from '../../app/context.js';
import { loadConfig, type Config } from '../../config/config.js';
import { buildServer, listen } from '../../http/server.js';
import { ATTACKS, STEPS } from './catalog.js';
import { createClient, type MedVaultClient } from '../../contract/client/index.js';
import { Narrator, type Outcome, type Write } from './narrator.js';
import { createSchema } from './pg-schema.js';
import type { Attack, Step } from './scenario.js';
import { DemoWorld } from './world.js';
import { MASTER_KEY_FILE } from '../../app/master-key.js';
import { inTurn, writeRoutesTaken } from './in-turn.js';

export interface DemoOptions {
  /** postgres:// URL: the demo runs in a fresh schema it creates and drops. Absent: SQLite. */
  readonly databaseUrl?: string | undefined;
  /** Where the narration goes (standard output for the command). */
  readonly write: Write;
  /** Attack ids to run (default: all). Steps always all run: the attacks need what they build. */
  readonly attacks?: readonly string[] | undefined;
  /**
   * How the demo's server opens its application; `openApp` unless given. A seam for tests
   * only (test/demo/defence-off.test.ts breaks one defence to show its attack then FAILs):
   * the `medvault demo` command never passes it, and no setting, flag or route reaches it.
   */
  readonly openApp?: (config: Config) => Promise<AppContext>;
  /**
   * How many servers to run on the one database (PostgreSQL only; default 1). With more, the
   * client sends each request to the next server in turn, so every write is read back through
   * another server than the one that took it, as behind a round-robin proxy.
   */
  readonly servers?: number;
}

export interface DemoReport {
  /** No step and no attack failed. */
  readonly ok: boolean;
  readonly outcomes: readonly Outcome[];
  readonly ms: number;
}

/** The process exit code for a report: 1 when anything FAILed (CI runs the demo as a test). */
export const exitCodeOf = (report: DemoReport): number => (report.ok ? 0 : 1);

/** The "METHOD /path" operations the server documents in its OpenAPI document (paths as `:id`). */
async function documentedRoutes(api: MedVaultClient): Promise<Set<string>> {
  const doc = await api.call('openApiDocument');
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of Object.keys(item))
      out.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return out;
}

/** What went wrong, in one line, for a FAIL verdict. */
function reason(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function missingRoutes(world: DemoWorld, item: Step | Attack): string[] {
  return (item.requires ?? []).filter((r) => !world.routes.has(r));
}

async function runStep(world: DemoWorld, step: Step): Promise<void> {
  const n = world.narrator;
  n.heading(step.title);
  const started = performance.now();
  const missing = missingRoutes(world, step);
  if (missing.length > 0) {
    n.verdict('step', step.title, 'SKIPPED', `this server does not offer ${missing.join(', ')} yet`, 0);
    return;
  }
  try {
    const detail = await step.run(world);
    n.verdict('step', step.title, 'PASS', detail, performance.now() - started);
  } catch (err) {
    n.verdict('step', step.title, 'FAIL', reason(err), performance.now() - started);
  }
}

async function runAttack(world: DemoWorld, attack: Attack): Promise<void> {
  const n = world.narrator;
  n.heading(`Attack: ${attack.title}`);
  const started = performance.now();
  const missing = missingRoutes(world, attack);
  if (missing.length > 0) {
    n.verdict('attack', attack.title, 'SKIPPED', `this server does not offer ${missing.join(', ')} yet`, 0);
    return;
  }
  try {
    const result = await attack.run(world);
    n.verdict(
      'attack',
      attack.title,
      result.defended ? 'PASS' : 'FAIL',
      result.detail,
      performance.now() - started,
    );
  } catch (err) {
    n.verdict(
      'attack',
      attack.title,
      'FAIL',
      `could not carry out the attack: ${reason(err)}`,
      performance.now() - started,
    );
  }
}

interface DemoServer {
  readonly app: AppContext;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the demo's servers: the first on `config` (it migrates the database and makes the
 * master key file), each other one on a data folder of its own with the first one's master key
 * and its address as the public origin, as a hospital's second server behind a proxy is set up.
 */
async function startServers(config: Config, options: DemoOptions, outsideDir: string): Promise<DemoServer[]> {
  const count = options.servers ?? 1;
  if (count > 1 && config.databaseUrl === undefined)
    throw new Error('several demo servers need PostgreSQL (--database-url)');
  const started: DemoServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const own =
        i === 0
          ? config
          : {
              ...config,
              dataDir: fs.mkdtempSync(path.join(outsideDir, `server-${i + 1}-`)),
              // One public origin, as behind a proxy: the first server's (which it derives itself).
              publicOrigin: started[0]!.url,
              masterKey: Buffer.from(
                fs.readFileSync(path.join(config.dataDir, MASTER_KEY_FILE), 'utf8').trim(),
                'base64',
              ),
            };
      const app = await (options.openApp ?? openApp)(own);
      try {
        const server = await buildServer({
          config: own,
          checkReady: () => app.store.ping(),
          app,
          logger: false,
        });
        const url = await listen(server, own);
        app.audit.autoCheckpoints.start(); // as `medvault serve` does
        started.push({
          app,
          url,
          close: async () => {
            await server.close();
            await app.close();
          },
        });
      } catch (err) {
        await app.close();
        throw err;
      }
    }
  } catch (err) {
    for (const s of started.reverse()) await s.close();
    throw err;
  }
  return started;
}

/**
 * Runs the whole demo: starts a MedVault server of its own on a free loopback port over a
 * fresh temporary data folder (SQLite) or a fresh PostgreSQL schema, walks the steps over real
 * HTTP, performs the attacks against it, prints a summary and cleans everything up. Never
 * throws for a failed step or attack: those are verdicts in the report.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const narrator = new Narrator(options.write);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-demo-'));
  // Checkpoints go outside the data folder, as they must in production.
  const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-demo-checkpoints-'));
  const schema =
    options.databaseUrl === undefined ? undefined : await createSchema(options.databaseUrl, 'medvault_demo');
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MEDVAULT_DATA_DIR: dataDir,
      MEDVAULT_CHECKPOINT_FILE: path.join(outsideDir, 'checkpoints'),
      LOG_LEVEL: 'silent',
      // Short slow-client deadlines (production: 20 s and 10 s), so the slow-client attack
      // is cut off in seconds; every honest request here is local and instant.
      MEDVAULT_HEADERS_TIMEOUT: '2',
      MEDVAULT_BODY_RATE_WINDOW: '2',
      // Every role and attacker of the walkthrough is this one loopback address (like a hospital
      // behind one NAT address, README): the per-address credential budget is raised for it.
      MEDVAULT_CREDENTIAL_RATE_LIMIT: '1000',
      ...(schema === undefined ? {} : { DATABASE_URL: schema.url }),
    });
    const servers = await startServers(config, options, outsideDir);
    const app = servers[0]!.app;
    try {
      const urls = servers.map((s) => s.url);
      narrator.section(
        `MedVault demo — ${app.store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} at ${app.store.location}, ${urls.length === 1 ? `server ${urls[0]}` : `servers ${urls.join(' and ')} taking requests in turn`}`,
      );
      narrator.say('Every value below (names, SSNs, PINs, passwords) is synthetic, made up for this run.');
      const writes = new Set<string>();
      const api = createClient({ baseUrl: urls[0], fetch: inTurn(urls, writes) });
      const routes = await documentedRoutes(api);
      const world = new DemoWorld(api, app, narrator, routes, dataDir);
      narrator.section('Walkthrough');
      for (const step of STEPS) await runStep(world, step);
      narrator.section('Attack simulation — each attack is performed for real; PASS means defended');
      const chosen =
        options.attacks === undefined ? ATTACKS : ATTACKS.filter((a) => options.attacks?.includes(a.id));
      for (const attack of chosen) await runAttack(world, attack);
      if (urls.length > 1) {
        const { taken, of, untaken } = writeRoutesTaken(routes, writes);
        narrator.say(
          `Through ${urls.length} servers in turn: ${taken} of the ${of} documented write routes taken, requests alternating between the servers.`,
        );
        narrator.say(`Not taken by this walkthrough: ${untaken.join(', ')}.`);
      }
    } finally {
      for (const s of servers.reverse()) await s.close();
    }
  } finally {
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(outsideDir, { recursive: true, force: true });
  }
  narrator.summary();
  const ok = narrator.failures().length === 0;
  return { ok, outcomes: narrator.outcomes, ms: narrator.elapsedMs() };
}
