import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createSealStream } from '../../crypto/envelope-stream.js';
import {
  attachmentExists,
  deleteAttachmentDataKeys,
  insertAttachment,
  listRecordAttachments,
  orphanAttachmentKeyOwners,
  type AttachmentRow,
} from '../../store/attachment-repository.js';
import { withTransaction, type Db } from '../../store/database.js';
import { reachDetails, type AccessScope, type AttachmentReach, type PatientReach } from '../access/index.js';
import type { Actor } from '../actor.js';
import type { AuditDetails } from '../audit/entry.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { DataKeys } from '../data-keys.js';
import { AppError, conflict, integrityFailure, payloadTooLarge, unsupportedMediaType } from '../errors.js';
import {
  ContentInspector,
  dispositionOf,
  isAttachmentType,
  magicMatches,
  sanitiseFileName,
  SNIFF_BYTES,
  type AttachmentType,
} from './attachment-content.js';
import type { AttachmentStorage } from './attachment-storage.js';
import { attachmentContext, decodeMeta, encodeMeta, type AttachmentMeta } from './attachment-meta.js';
import { isIntegrityError, openVerified } from './attachment-stream.js';

/** The only record type that carries attachments (the imaging study's images). */
export const ATTACHMENT_RECORD_TYPE = 'imaging';
/** A DEK or file older than this without its row belongs to an upload that died (see sweep). */
const ABANDONED_AFTER_MS = 24 * 3_600_000;

export interface AttachmentsDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly audit: LedgerAppend;
  /** Where the encrypted content goes: files under the data folder, or chunks in the database. */
  readonly storage: AttachmentStorage;
  /** Largest plaintext accepted, in bytes. */
  readonly limitBytes: number;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly clock?: () => number;
}

/** The file an upload carries, as the transport hands it over (the bytes not yet read). */
export interface IncomingFile {
  readonly fileName: string | undefined;
  /** The declared type (multipart part header). */
  readonly contentType: string;
  readonly content: Readable;
}

/** An attachment's facts, decrypted (what lists and downloads show). */
export interface AttachmentView {
  readonly id: string;
  readonly recordId: string;
  readonly contentType: AttachmentType;
  readonly fileName: string;
  /** Plaintext bytes. */
  readonly size: number;
  /** SHA-256 of the plaintext, lowercase hex. */
  readonly sha256: string;
  readonly createdAt: number;
}

export interface AttachmentDownload {
  readonly attachment: AttachmentView;
  /** Inline for PNG and JPEG, attachment (download) for DICOM. */
  readonly disposition: 'inline' | 'attachment';
  /** Verified plaintext; errors (and should abort the response) if a later chunk fails. */
  readonly content: Readable;
}

/**
 * Details every ledger entry about an attachment carries: ids only — the record, plus the grant
 * (id and scope) or the break-glass it went through, when one. (Unlike record entries these never
 * carried the relation; the record's own entries do.)
 */
function details(recordId: string, reach: PatientReach): AuditDetails {
  const { relation: _relation, ...through } = reachDetails(reach, ATTACHMENT_RECORD_TYPE);
  return { recordId, ...through };
}

/**
 * Images of imaging records: uploaded as a stream, encrypted in chunks under a DEK of their own
 * into storage (a file under the data folder on SQLite, chunks in the database on PostgreSQL), listed and downloaded (decrypted as a stream) by whoever
 * may read the record. Access is the record's (the scope's record reach); every upload and download is in
 * the ledger. Design, storage layout and leakage: docs/attachments.md.
 */
export class Attachments {
  private readonly files: AttachmentStorage;
  private readonly now: () => number;
  private swept: Promise<unknown> | null = null;

  constructor(private readonly deps: AttachmentsDeps) {
    this.files = deps.storage;
    this.now = deps.clock ?? Date.now;
  }

  /**
   * Adds an attachment to an imaging record (a doctor who may write to it: care team, a grant
   * with scope 'read_write' covering imaging, break-glass). `receive` is called
   * only once access is granted, so nothing is read from a caller who may not upload.
   * The row and its ledger entry are committed only after the whole file was received,
   * checked, encrypted and made durable; on any failure nothing is left (file, temp file, DEK).
   * @throws AppError forbidden/not_found/read_only_access (access), conflict (not an imaging record),
   *   unsupported_media_type (type not accepted, or bytes not of the declared type),
   *   payload_too_large (over the limit); the stream's own error when the upload is cut short.
   */
  async upload(
    scope: AccessScope,
    recordId: string,
    receive: () => Promise<IncomingFile>,
  ): Promise<AttachmentView> {
    const { db, dataKeys, audit } = this.deps;
    const { record, patient: reach } = await scope.record(db, recordId, 'write');
    if (record.type !== ATTACHMENT_RECORD_TYPE) {
      throw conflict('Attachments belong to imaging records only.', 'not_imaging_record');
    }
    await (this.swept ??= this.sweep().catch(() => undefined));
    const file = await receive();
    const contentType = file.contentType.toLowerCase();
    if (!isAttachmentType(contentType)) {
      file.content.destroy();
      throw unsupportedMediaType('Attachments must be image/png, image/jpeg or application/dicom.');
    }
    const id = randomUUID();
    const contentCtx = attachmentContext(id, record.patient_id, 'content');
    // Its own short transaction: the upload may take minutes and must not hold the write lock.
    const dek = await withTransaction(db, (tx) => dataKeys.createDek(tx, contentCtx, this.now()));
    try {
      const inspector = new ContentInspector(contentType, this.deps.limitBytes);
      const storedBytes = await this.files.write(id, file.content, [
        inspector,
        createSealStream(contentCtx, dek),
      ]);
      const { size, sha256 } = inspector.result();
      await this.files.commit(id);
      const meta: AttachmentMeta = {
        v: 1,
        contentType,
        fileName: sanitiseFileName(file.fileName, contentType),
        size,
        sha256,
      };
      const createdAt = this.now();
      await withTransaction(db, async (tx) => {
        const metaCt = await dataKeys.seal(
          tx,
          attachmentContext(id, record.patient_id, 'meta'),
          encodeMeta(meta),
        );
        const row: AttachmentRow = {
          id,
          record_id: record.id,
          patient_id: record.patient_id,
          created_at: createdAt,
          meta_ct: metaCt,
          stored_bytes: storedBytes,
        };
        await insertAttachment(tx, row);
        await audit.append(tx, {
          actor: scope.actor,
          action: 'attachment.create',
          target: { type: 'attachment', id },
          patientId: record.patient_id,
          outcome: 'success',
          details: details(record.id, reach),
        });
      });
      return viewOf(id, record.id, createdAt, meta);
    } catch (err) {
      await this.discard(id);
      throw err;
    } finally {
      dek.fill(0);
    }
  }

  /** A record's attachments (decrypted facts), for whoever may read the record. */
  async list(scope: AccessScope, recordId: string): Promise<AttachmentView[]> {
    const { db } = this.deps;
    const { record } = await scope.record(db, recordId, 'read');
    const rows = await listRecordAttachments(db, record.id);
    const out: AttachmentView[] = [];
    for (const row of rows) {
      const meta = await this.openMeta(scope.actor, row);
      out.push(viewOf(row.id, row.record_id, row.created_at, meta));
    }
    return out;
  }

  /**
   * Opens an attachment for download: access check, meta, key, file, then the header and first
   * chunk verified before anything is returned; then the 'attachment.read' ledger entry.
   * @throws AppError not_found/forbidden (access, or no such attachment on this record),
   *   integrity (422, recorded in the ledger) when meta, key or file fail their checks.
   */
  async open(scope: AccessScope, recordId: string, attachmentId: string): Promise<AttachmentDownload> {
    return this.openReached(scope, await scope.attachment(this.deps.db, recordId, attachmentId));
  }

  /** Like `open`, the attachment named by its id alone (FHIR's Binary/<id>); the same access and ledger entry. */
  async openById(scope: AccessScope, attachmentId: string): Promise<AttachmentDownload> {
    return this.openReached(scope, await scope.attachmentById(this.deps.db, attachmentId));
  }

  /**
   * The whole verified plaintext of an attachment (FHIR's Binary as base64, $everything): `open`
   * (same access, same 'attachment.read' entry), read to the end. A failure in a later chunk is
   * the same 422 as one found at the start (and is in the ledger), never a partial file.
   */
  async readWhole(
    scope: AccessScope,
    attachmentId: string,
    recordId?: string,
  ): Promise<{ attachment: AttachmentView; bytes: Buffer }> {
    const download =
      recordId === undefined
        ? await this.openById(scope, attachmentId)
        : await this.open(scope, recordId, attachmentId);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of download.content) chunks.push(chunk as Buffer);
    } catch (err) {
      if (isIntegrityError(err)) throw integrityFailure();
      throw err;
    }
    return { attachment: download.attachment, bytes: Buffer.concat(chunks) };
  }

  /**
   * The checks an upload makes on its bytes (accepted type, magic bytes, size limit), made on a
   * file held whole in memory before anything is written: an import checks every image first,
   * so a bad one refuses the whole import. @throws unsupported_media_type, payload_too_large.
   */
  checkContent(contentType: string, bytes: Buffer): void {
    const type = contentType.toLowerCase();
    if (!isAttachmentType(type))
      throw unsupportedMediaType('Attachments must be image/png, image/jpeg or application/dicom.');
    if (bytes.length > this.deps.limitBytes)
      throw payloadTooLarge(`The attachment is larger than ${this.deps.limitBytes} bytes.`);
    if (bytes.length > 0 && !magicMatches(type, bytes.subarray(0, SNIFF_BYTES)))
      throw unsupportedMediaType(`The file's content is not ${type}.`);
  }

  private async openReached(scope: AccessScope, reached: AttachmentReach): Promise<AttachmentDownload> {
    const { db, dataKeys, audit } = this.deps;
    const actor = scope.actor;
    const { record, attachment: row, patient: reach } = reached;
    const meta = await this.openMeta(actor, row);
    const ctx = attachmentContext(row.id, row.patient_id, 'content');
    let content: Readable;
    try {
      const dek = await dataKeys.dekFor(db, ctx);
      try {
        const stored = await this.files.openRead(row.id);
        if (stored === undefined) throw integrityFailure();
        // A file of another length is truncated, extended or swapped: refuse before any byte.
        if (stored.size !== row.stored_bytes) {
          stored.stream.destroy();
          throw integrityFailure();
        }
        content = await openVerified(stored.stream, ctx, dek, () => {
          // Best effort: the response is already under way; the failure still gets its entry.
          this.recordIntegrityFailure(actor, row, 'content').catch(() => undefined);
        });
      } finally {
        dek.fill(0);
      }
    } catch (err) {
      if (isIntegrityError(err) || (err instanceof AppError && err.kind === 'integrity')) {
        return this.failIntegrity(actor, row, 'content');
      }
      throw err;
    }
    try {
      await audit.append(db, {
        actor,
        action: 'attachment.read',
        target: { type: 'attachment', id: row.id },
        patientId: row.patient_id,
        outcome: 'success',
        details: details(record.id, reach),
      });
    } catch (err) {
      content.destroy();
      throw err;
    }
    return {
      attachment: viewOf(row.id, row.record_id, row.created_at, meta),
      disposition: dispositionOf(meta.contentType),
      content,
    };
  }

  /**
   * Removes what uploads that died with their process left behind. Every upload creates its DEK
   * before its first byte is written and removes it last, so an attachment DEK older than a day
   * without a row names an abandoned upload: its files and keys go. Stale temp files go too.
   * Runs once per process, before its first upload (an upload in progress is never a day old).
   * Returns how many abandoned uploads and stray temp files were removed.
   */
  async sweep(now = this.now()): Promise<number> {
    const before = now - ABANDONED_AFTER_MS;
    let removed = 0;
    for (const id of await orphanAttachmentKeyOwners(this.deps.db, before)) {
      await this.files.remove(id);
      await deleteAttachmentDataKeys(this.deps.db, id);
      removed++;
    }
    return removed + (await this.files.sweepTemp(before));
  }

  /**
   * Undoes a failed upload: its files first, then its DEKs (so a crash in between leaves an
   * orphan DEK for `sweep` to find). A row that exists after all (a commit reported as failed
   * that did commit), or that cannot be checked, keeps everything; `sweep` decides later.
   */
  private async discard(id: string): Promise<void> {
    const { db } = this.deps;
    if (await attachmentExists(db, id).catch(() => true)) return;
    await this.files.remove(id).catch(() => undefined);
    await deleteAttachmentDataKeys(db, id).catch(() => undefined);
  }

  private async openMeta(actor: Actor, row: AttachmentRow): Promise<AttachmentMeta> {
    try {
      const ctx = attachmentContext(row.id, row.patient_id, 'meta');
      return decodeMeta(await this.deps.dataKeys.open(this.deps.db, ctx, row.meta_ct));
    } catch (err) {
      if (isIntegrityError(err)) return this.failIntegrity(actor, row, 'meta');
      throw err;
    }
  }

  private async recordIntegrityFailure(
    actor: Actor,
    row: AttachmentRow,
    part: 'meta' | 'content',
  ): Promise<void> {
    await this.deps.audit.append(this.deps.db, {
      actor,
      action: 'record.integrity_failure',
      target: { type: 'attachment', id: row.id },
      patientId: row.patient_id,
      outcome: 'failure',
      details: { recordId: row.record_id, part },
    });
  }

  /** Records the failure in the ledger (its own transaction: nothing else happened) and refuses. */
  private async failIntegrity(actor: Actor, row: AttachmentRow, part: 'meta' | 'content'): Promise<never> {
    await this.recordIntegrityFailure(actor, row, part);
    throw integrityFailure(
      'This attachment failed its integrity check and was not returned; the incident is in the audit ledger.',
    );
  }
}

function viewOf(id: string, recordId: string, createdAt: number, meta: AttachmentMeta): AttachmentView {
  return {
    id,
    recordId,
    contentType: meta.contentType,
    fileName: meta.fileName,
    size: meta.size,
    sha256: meta.sha256,
    createdAt,
  };
}
