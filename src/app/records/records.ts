import { IntegrityError } from '../../crypto/errors.js';
import { withTransaction } from '../../store/database.js';
import {
  insertRecord,
  listAuthorRecords,
  listPatientRecordRows,
  listPatientRecords,
  type RecordRow,
} from '../../store/record-repository.js';
import { displayNames } from '../../store/user-repository.js';
import { covers, type AccessScope, type PatientReach } from '../access/index.js';
import type { Actor } from '../actor.js';
import { integrityFailure, invalidInput } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { RECORD_TYPES } from '../../contract/vocabulary/record-types.js';
import { DEFAULT_RECORD_PAGE, MAX_RECORD_PAGE } from '../../contract/vocabulary/paging.js';
import { MAX_KEYWORDS, MAX_TITLE_LENGTH } from '../../contract/vocabulary/records.js';
import { indexTerms } from './keywords.js';
import { mergeNewestFirst, prescriptionsBefore } from './record-list-merge.js';
import { envelopeCipher, type RecordCipher } from './record-cipher.js';
import { recordFieldContext, recordKeyContext } from './record-crypto.js';
import type { TypedBody } from './record-types.js';
import type { RecordsDeps } from './records-deps.js';
import { prepareRecords } from './record-input.js';
import {
  accessDetails,
  type NewRecord,
  type RecordListItem,
  type RecordPage,
  type RecordSummary,
  type RecordView,
} from './record-views.js';

export { DEFAULT_RECORD_PAGE, MAX_KEYWORDS, MAX_RECORD_PAGE, MAX_TITLE_LENGTH };
export {
  accessDetails,
  type NewRecord,
  type RecordListItem,
  type RecordPage,
  type RecordSummary,
  type RecordView,
};

/** What the body ciphertext holds. */
interface SealedBody {
  readonly body: unknown;
  readonly keywords: readonly string[];
}

/**
 * Medical records: a doctor writes them for a patient they may write for (care team, a grant
 * with scope 'read_write', break-glass); the patient and the doctors the access scope allows
 * read them. Each record's title and body are sealed with the record's
 * own DEK, bound to the record and its patient; only id, patient, type, author and time are in
 * clear. Every write and every read is a ledger entry in the same transaction, and a record
 * whose ciphertext fails to open answers 422 and leaves an integrity-failure entry behind.
 */
export class Records {
  private readonly now: () => number;
  private readonly cipher: RecordCipher;

  constructor(private readonly deps: RecordsDeps) {
    this.now = deps.clock ?? Date.now;
    this.cipher = deps.cipher ?? envelopeCipher(deps.dataKeys);
  }

  /**
   * @throws AppError invalid_input (field named), 403 for roles that never write and
   *   `read_only_access` for a doctor who may only read the patient's records, 404 not reachable.
   */
  async create(scope: AccessScope, patientId: string, input: NewRecord): Promise<RecordSummary> {
    const [one] = await this.createMany(scope, patientId, [input]);
    return one!;
  }

  /**
   * Several records for one patient, all or nothing: every input is validated before anything is
   * written, then all rows, search tokens, vitals and `record.create` entries commit in ONE
   * transaction (an import is never half done). A refusal names the input (`records[2].body…`)
   * when there is more than one.
   * @throws as create.
   */
  async createMany(
    scope: AccessScope,
    patientId: string,
    inputs: readonly NewRecord[],
  ): Promise<RecordSummary[]> {
    const { db, audit, search, vitals } = this.deps;
    const { cipher } = this;
    const now = this.now();
    const reach = await scope.patient(db, patientId, 'write');
    const prepared = prepareRecords(inputs, reach, now);
    const tokens = await Promise.all(
      prepared.map((p) => search.tokens(indexTerms(p.typed, p.keywords, p.title))),
    );
    await withTransaction(db, async (tx) => {
      for (const [i, { id, typed, title, keywords, createdAt }] of prepared.entries()) {
        const dek = await cipher.newKey(tx, recordKeyContext(id, patientId), now);
        const sealed: SealedBody = { body: typed.body, keywords };
        await insertRecord(tx, {
          id,
          patient_id: patientId,
          type: typed.type,
          author_id: scope.userId,
          created_at: createdAt,
          title_ct: cipher.seal(Buffer.from(title, 'utf8'), recordFieldContext(id, patientId, 'title'), dek),
          body_ct: cipher.seal(
            Buffer.from(JSON.stringify(sealed), 'utf8'),
            recordFieldContext(id, patientId, 'body'),
            dek,
          ),
        });
        await search.index(tx, { id, patientId, createdAt }, tokens[i]!);
        if (typed.type === 'vitals' && vitals !== undefined)
          await vitals.store(tx, vitalsOf(id, patientId, typed, createdAt));
      }
      await audit.appendMany(
        tx,
        prepared.map(({ id, typed }) => ({
          actor: scope.actor,
          action: 'record.create' as const,
          target: { type: 'record', id },
          patientId,
          outcome: 'success' as const,
          details: accessDetails(reach, { type: typed.type }, typed.type),
        })),
      );
    });
    return prepared.map(({ id, typed, createdAt }) => ({
      id,
      patientId,
      type: typed.type,
      authorId: scope.userId,
      createdAt,
    }));
  }

  /**
   * A patient's records in full (bodies opened), newest first, of the types asked for that the
   * caller may read, from a position: what an export or a standard API reads. One `record.read`
   * entry per record returned, appended together (the same entries `get` writes, one each).
   * @throws 404 not reachable; 422 when a record fails its integrity check.
   */
  async readPage(
    scope: AccessScope,
    patientId: string,
    query: {
      types?: readonly string[] | undefined;
      from?: { createdAt: number; id: string; inclusive: boolean } | undefined;
      limit: number;
    },
  ): Promise<RecordView[]> {
    const { db, audit } = this.deps;
    const reach = await scope.patient(db, patientId, 'read');
    const asked = query.types ?? 'all';
    const allowed = reach.recordTypes;
    const types =
      allowed === 'all' ? asked : asked === 'all' ? [...allowed] : asked.filter((t) => allowed.has(t));
    const rows = await listPatientRecordRows(db, patientId, {
      types,
      before: query.from === undefined ? undefined : { createdAt: query.from.createdAt, id: query.from.id },
      inclusive: query.from?.inclusive ?? false,
      limit: Math.min(Math.max(query.limit, 1), MAX_RECORD_PAGE),
    });
    const names = await displayNames(
      db,
      rows.map((r) => r.author_id),
    );
    const views: RecordView[] = [];
    for (const row of rows) {
      const opened = await this.openRow(scope.actor, row);
      views.push({ ...summaryOf(row), ...opened, authorName: names.get(row.author_id) ?? null });
    }
    if (rows.length > 0)
      await audit.appendMany(
        db,
        rows.map((row) => ({
          actor: scope.actor,
          action: 'record.read' as const,
          target: { type: 'record', id: row.id },
          patientId,
          outcome: 'success' as const,
          details: accessDetails(reach, { type: row.type }, row.type),
        })),
      );
    return views;
  }

  /** One record in full. @throws 404 unknown or not reachable; 422 when its ciphertext fails. */
  async get(scope: AccessScope, recordId: string): Promise<RecordView> {
    const { db, audit } = this.deps;
    const { record: row, patient: reach } = await scope.record(db, recordId, 'read');
    const opened = await this.openRow(scope.actor, row);
    await audit.append(db, {
      actor: scope.actor,
      action: 'record.read',
      target: { type: 'record', id: row.id },
      patientId: row.patient_id,
      outcome: 'success',
      details: accessDetails(reach, { type: row.type }, row.type),
    });
    const names = await displayNames(db, [row.author_id]);
    return { ...summaryOf(row), ...opened, authorName: names.get(row.author_id) ?? null };
  }

  /** A patient's records newest first (titles decrypted), limited to the types the caller may read. */
  async list(
    scope: AccessScope,
    patientId: string,
    query: { type?: string | undefined; cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<RecordPage> {
    const { db, audit } = this.deps;
    const reach = await scope.patient(db, patientId, 'read');
    if (query.type !== undefined && !(RECORD_TYPES as readonly string[]).includes(query.type)) {
      throw invalidInput(`type: unknown record type; use one of ${RECORD_TYPES.join(', ')}.`);
    }
    const allowed = reach.recordTypes === 'all' ? 'all' : [...reach.recordTypes];
    const types =
      query.type === undefined
        ? allowed
        : allowed === 'all' || allowed.includes(query.type)
          ? [query.type]
          : [];
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_RECORD_PAGE, 1), MAX_RECORD_PAGE);
    const cursor = decodeCursor(query.cursor);
    const before =
      cursor === undefined || cursor.t === undefined ? undefined : { createdAt: cursor.t, id: cursor.id };
    const stored = await listPatientRecords(db, patientId, { types, before, limit: limit + 1 });
    const signed =
      types === 'all' || types.includes('prescription')
        ? await prescriptionsBefore(db, patientId, before)
        : [];
    const rows = mergeNewestFirst(stored, signed).slice(0, limit + 1);
    const shown = rows.slice(0, limit);
    const names = await displayNames(
      db,
      shown.map((r) => r.author_id),
    );
    const deks = await this.deksOrFail(
      scope.actor,
      shown.filter((row) => row.title_ct !== null),
    );
    const records: RecordListItem[] = [];
    for (const row of shown) {
      if (row.title_ct === null) {
        records.push({
          ...summaryOf(row),
          title: 'Prescription',
          authorName: names.get(row.author_id) ?? null,
        });
        continue;
      }
      const title = this.openTitle({ ...row, title_ct: row.title_ct }, deks.get(row.id)!);
      if (title === undefined) await this.failIntegrity(scope.actor, row);
      records.push({ ...summaryOf(row), title: title ?? '', authorName: names.get(row.author_id) ?? null });
    }
    await audit.append(db, {
      actor: scope.actor,
      action: 'record.read',
      target: { type: 'patient_records', id: patientId },
      patientId,
      outcome: 'success',
      details: accessDetails(reach, { listed: records.length }),
    });
    const last = shown[shown.length - 1];
    return {
      records,
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor({ t: last.created_at, id: last.id }) : null,
    };
  }

  /**
   * The records a doctor wrote lately, metadata only (no title is decrypted, so nothing is read),
   * and only for patients the doctor can still reach.
   */
  async recent(scope: AccessScope, limit = 20): Promise<{ records: RecordListItem[] }> {
    const { db } = this.deps;
    scope.require('records.write');
    const rows = await listAuthorRecords(db, scope.userId, Math.min(Math.max(limit, 1), MAX_RECORD_PAGE));
    const reachable = new Map<string, PatientReach | null>();
    const out: RecordListItem[] = [];
    for (const row of rows) {
      if (!reachable.has(row.patient_id))
        reachable.set(row.patient_id, await scope.tryPatient(db, row.patient_id, 'read'));
      const reach = reachable.get(row.patient_id);
      if (reach === null || reach === undefined || !covers(reach, row.type)) continue;
      out.push({ ...summaryOf(row), title: null, authorName: null });
    }
    return { records: out };
  }

  private async openRow(
    actor: Actor,
    row: RecordRow,
  ): Promise<{ title: string; body: unknown; keywords: readonly string[] }> {
    const dek = await this.dekOrFail(actor, row);
    try {
      const title = this.cipher
        .open(row.title_ct, recordFieldContext(row.id, row.patient_id, 'title'), dek)
        .toString('utf8');
      const sealed = JSON.parse(
        this.cipher
          .open(row.body_ct, recordFieldContext(row.id, row.patient_id, 'body'), dek)
          .toString('utf8'),
      ) as SealedBody;
      return { title, body: sealed.body, keywords: sealed.keywords };
    } catch (err) {
      if (err instanceof IntegrityError) return this.failIntegrity(actor, row);
      throw err;
    }
  }

  /** The title, or undefined when its ciphertext fails to open. */
  openTitle(row: Pick<RecordRow, 'id' | 'patient_id' | 'title_ct'>, dek: Buffer): string | undefined {
    try {
      return this.cipher
        .open(row.title_ct, recordFieldContext(row.id, row.patient_id, 'title'), dek)
        .toString('utf8');
    } catch (err) {
      if (err instanceof IntegrityError) return undefined;
      throw err;
    }
  }

  /** The record's DEK; a missing or moved key is an integrity failure. */
  async dekOrFail(actor: Actor, row: Pick<RecordRow, 'id' | 'patient_id' | 'type'>): Promise<Buffer> {
    try {
      return await this.cipher.keyFor(this.deps.db, recordKeyContext(row.id, row.patient_id));
    } catch (err) {
      if (err instanceof IntegrityError) return this.failIntegrity(actor, row);
      throw err;
    }
  }

  /**
   * The DEKs of several records in one query, by record id; the first record whose key is missing
   * or moved is an integrity failure (ledgered, refused), as {@link dekOrFail} for one.
   */
  async deksOrFail(
    actor: Actor,
    rows: ReadonlyArray<Pick<RecordRow, 'id' | 'patient_id' | 'type'>>,
  ): Promise<Map<string, Buffer>> {
    const keys = await this.cipher.keysFor(
      this.deps.db,
      rows.map((row) => recordKeyContext(row.id, row.patient_id)),
    );
    const out = new Map<string, Buffer>();
    for (const [i, row] of rows.entries()) {
      const key = keys[i];
      if (!(key instanceof Buffer)) return this.failIntegrity(actor, row);
      out.set(row.id, key);
    }
    return out;
  }

  /** Records the failure in the ledger (its own transaction: nothing else happened) and refuses. */
  private async failIntegrity(
    actor: Actor,
    row: Pick<RecordRow, 'id' | 'patient_id' | 'type'>,
  ): Promise<never> {
    await this.deps.audit.append(this.deps.db, {
      actor,
      action: 'record.integrity_failure',
      target: { type: 'record', id: row.id },
      patientId: row.patient_id,
      outcome: 'failure',
      details: { type: row.type },
    });
    throw integrityFailure(
      'This record failed its integrity check and was not returned; the incident is in the audit ledger.',
    );
  }
}

const summaryOf = (
  row: Pick<RecordRow, 'id' | 'patient_id' | 'type' | 'author_id' | 'created_at'>,
): RecordSummary => ({
  id: row.id,
  patientId: row.patient_id,
  type: row.type,
  authorId: row.author_id,
  createdAt: row.created_at,
});

function vitalsOf(recordId: string, patientId: string, typed: TypedBody & { type: 'vitals' }, now: number) {
  const { measuredAt, ...values } = typed.body;
  return { recordId, patientId, measuredAt: measuredAt === undefined ? now : Date.parse(measuredAt), values };
}
