import { scopeOf } from '../support/scopes.js';
import { afterEach, describe, expect, it } from 'vitest';
import { composeApp, type AppServices } from '../../src/app/compose.js';
import { DEFAULT_PAILLIER_POOL, resolveComposeOptions } from '../../src/app/compose-options.js';
import { openApp } from '../../src/app/context.js';
import { Keyring } from '../../src/app/keyring.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { DEFAULT_PAILLIER_BITS } from '../../src/crypto/paillier.js';
import { DEFAULT_ARGON2_PARAMS } from '../../src/crypto/password-hash.js';
import { CHEAP_ARGON2 } from '../support/cheap-costs.js';
import { TestClock } from '../support/clock.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { insertStaff, registration, registerEnrolled } from '../support/people.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

const configOf = (t: TestStore): Config =>
  loadConfig({
    MEDVAULT_DATA_DIR: t.dataDir,
    LOG_LEVEL: 'silent',
    MEDVAULT_ATTACHMENT_LIMIT_MB: '7',
    ...(t.databaseUrl === undefined ? {} : { DATABASE_URL: t.databaseUrl }),
  });

describe('compose options', () => {
  it('default to production costs, and the attachment limit to the configuration', () => {
    const hashing = { concurrency: 3, queue: 5 };
    const resolved = resolveComposeOptions(
      {},
      { attachmentLimitBytes: 7 * 1024 * 1024, credentialHashing: hashing },
    );
    expect(resolved.argon2).toEqual(DEFAULT_ARGON2_PARAMS);
    expect(resolved.paillierBits).toBe(DEFAULT_PAILLIER_BITS);
    expect(DEFAULT_PAILLIER_BITS).toBe(3072);
    expect(resolved.limits).toEqual({
      attachmentBytes: 7 * 1024 * 1024,
      paillierPool: DEFAULT_PAILLIER_POOL,
      hashPool: hashing,
    });
    expect(resolved.clock).toBe(Date.now);
  });

  it('take what they are given', () => {
    const clock = (): number => 1;
    const resolved = resolveComposeOptions(
      {
        clock,
        argon2: CHEAP_ARGON2,
        paillierBits: 1024,
        limits: { attachmentBytes: 10, paillierPool: 2, hashPool: { concurrency: 1, queue: 0 } },
      },
      { attachmentLimitBytes: 7, credentialHashing: { concurrency: 4, queue: 16 } },
    );
    expect(resolved).toEqual({
      clock,
      argon2: CHEAP_ARGON2,
      paillierBits: 1024,
      limits: { attachmentBytes: 10, paillierPool: 2, hashPool: { concurrency: 1, queue: 0 } },
    });
  });
});

describe.each(DIALECTS)('the composition root (%s)', (dialect) => {
  let t: TestStore | undefined;
  let app: AppServices | undefined;
  afterEach(async () => {
    await app?.close();
    await t?.dispose();
    app = undefined;
    t = undefined;
  });

  const compose = async (options: Parameters<typeof composeApp>[3]): Promise<AppServices> => {
    t = await createTestStore(dialect);
    const keyring = await Keyring.open(t.store.db, TEST_MASTER_KEY, t.store.location);
    app = await composeApp(t.store, keyring, configOf(t), options);
    return app;
  };

  it('groups the services by context', async () => {
    const a = await compose({ argon2: CHEAP_ARGON2 });
    expect(Object.keys(a).sort()).toEqual(
      [
        'analytics',
        'approvals',
        'audit',
        'close',
        'dataKeys',
        'fhir',
        'idempotency',
        'identity',
        'periodic',
        'prescriptions',
        'records',
        'sharing',
      ].sort(),
    );
    expect(Object.keys(a.identity).sort()).toEqual(
      [
        'currentSession',
        'enrolment',
        'factorPolicy',
        'hashPool',
        'lockout',
        'notices',
        'ownKeys',
        'patientAccount',
        'patientDirectory',
        'patientFinder',
        'patientLogin',
        'patientReenrolment',
        'patients',
        'pinRecovery',
        'secondFactorLogin',
        'secondFactors',
        'sessions',
        'staffAccounts',
        'staffInvites',
        'staffLogin',
      ].sort(),
    );
    expect(Object.keys(a.sharing).sort()).toEqual(['breakGlass', 'careTeams', 'grants']);
    expect(Object.keys(a.records).sort()).toEqual([
      'accessLog',
      'attachments',
      'records',
      'reindexSearch',
      'search',
    ]);
    expect(Object.keys(a.prescriptions).sort()).toEqual(['medicines', 'prescriptions']);
    expect(Object.keys(a.analytics).sort()).toEqual(['budgetRaises', 'statistics', 'vitalsSink']);
    expect(Object.keys(a.audit).sort()).toEqual([
      'autoCheckpoints',
      'ledger',
      'ledgerAccess',
      'verification',
    ]);
    expect(Object.keys(a.fhir).sort()).toEqual(['api', 'importer']);
    // Start-up work: the medicine catalog is in place before the first request.
    const doctor = await insertStaff(t!.store.db, 'doctor');
    expect(
      (await a.prescriptions.medicines.search(scopeOf(doctor), 'amoxicillin', 5)).length,
    ).toBeGreaterThan(0);
  });

  it('gives every service the one clock: sessions, registrations and ledger entries', async () => {
    const clock = new TestClock(Date.UTC(2031, 4, 6));
    const a = await compose({ argon2: CHEAP_ARGON2, clock: clock.read });
    const db = t!.store.db;
    const registrar = await insertStaff(db, 'registrar');
    const { patientId } = await a.identity.patients.register(scopeOf(registrar), registration());
    const view = await a.identity.patients.get(scopeOf(registrar), patientId);
    expect(view.registeredAt).toBe(clock.now);
    const entries = await a.audit.ledger.entries(db, { patientId }, { limit: 10 });
    // The registration and the registrar's read of the demographics (issue 15, finding 6).
    expect(entries.entries.map((e) => [e.action, e.time])).toEqual([
      ['patient.demographics_read', clock.now],
      ['enrolment.issue', clock.now],
      ['patient.register', clock.now],
    ]);
    clock.advance(60_000);
    const session = await a.identity.sessions.create(db, registrar);
    expect(session.expiresAt).toBe(clock.now + configOf(t!).sessionMaxHours * 3_600_000);
  });

  it('hashes credentials at the argon2id cost it is given', async () => {
    const a = await compose({ argon2: CHEAP_ARGON2 });
    const db = t!.store.db;
    const { patientId } = await registerEnrolled(a, scopeOf(await insertStaff(db, 'registrar')));
    const row = await db
      .selectFrom('patients')
      .selectAll()
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(row.pin_hash).toContain('m=1024,t=1,p=1');
    expect(row.password_hash).toContain('m=1024,t=1,p=1');
  });

  it('creates the statistics key with the Paillier bits it is given', async () => {
    const a = await compose({ argon2: CHEAP_ARGON2, paillierBits: 1024, limits: { paillierPool: 2 } });
    const db = t!.store.db;
    const admin = await insertStaff(db, 'admin');
    await a.analytics.statistics.budget(scopeOf(admin));
    await a.analytics.statistics.query(scopeOf(admin), {
      metric: 'heartRate',
      aggregate: 'count',
      cohort: { kind: 'all' },
      epsilon: 0.1,
    });
    const key = await db.selectFrom('analytics_keys').selectAll().executeTakeFirstOrThrow();
    expect(key.bits).toBe(1024);
  });

  it('refuses an attachment over the limit it is given', async () => {
    const a = await compose({ argon2: CHEAP_ARGON2, limits: { attachmentBytes: 64 } });
    const db = t!.store.db;
    const registrar = await insertStaff(db, 'registrar');
    const doctor = await insertStaff(db, 'doctor');
    const { patientId } = await a.identity.patients.register(scopeOf(registrar), registration());
    await a.sharing.careTeams.assign(scopeOf(registrar), patientId, doctor.userId);
    const record = await a.records.records.create(scopeOf(doctor), patientId, {
      type: 'imaging',
      title: 'Chest X-ray',
      body: { modality: 'X-ray', bodyPart: 'Chest', findings: 'Clear.', impression: 'Normal.' },
    });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(200),
    ]);
    const { Readable } = await import('node:stream');
    await expect(
      a.records.attachments.upload(scopeOf(doctor), record.id, async () => ({
        fileName: 'scan.png',
        contentType: 'image/png',
        content: Readable.from([png]),
      })),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('start-up', () => {
  it('opens store and keyring, then composes with the options it is given', async () => {
    const t = await createTestStore('sqlite', { migrate: false });
    await t.store.close();
    const app = await openApp(
      loadConfig({
        MEDVAULT_DATA_DIR: t.dataDir,
        MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
        LOG_LEVEL: 'silent',
      }),
      { argon2: CHEAP_ARGON2 },
    );
    try {
      expect(app.startup.migrationsApplied.length).toBeGreaterThan(0);
      const db = app.store.db;
      const { patientId } = await registerEnrolled(app, scopeOf(await insertStaff(db, 'registrar')));
      const row = await db
        .selectFrom('patients')
        .selectAll()
        .where('id', '=', patientId)
        .executeTakeFirstOrThrow();
      expect(row.pin_hash).toContain('m=1024,t=1,p=1');
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
