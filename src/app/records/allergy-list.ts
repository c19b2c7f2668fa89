import { openWithDek } from '../../crypto/envelope.js';
import { IntegrityError } from '../../crypto/errors.js';
import type { DbOrTx } from '../../store/database.js';
import { listPatientRecordRows } from '../../store/record-repository.js';
import type { DataKeys } from '../data-keys.js';
import { AppError } from '../errors.js';
import { recordFieldContext, recordKeyContext } from './record-crypto.js';

/** One allergy record's substance and severity (what the banner and the prescribing checks use). */
export interface KnownAllergy {
  readonly substance: string;
  readonly severity: string;
}

/** Allergy records read at once: far above any real patient's. */
const MAX_ALLERGIES = 500;

/**
 * A patient's allergy records, newest first, opened for their substance and severity. The caller
 * has decided the reader may see them (a reach covering 'allergy') and ledgers the read. An
 * allergy record that fails its integrity check refuses (422) rather than being skipped: a hidden
 * allergy is the failure the banner and the prescribing checks exist to prevent.
 */
export async function readAllergies(
  deps: { readonly db: DbOrTx; readonly dataKeys: DataKeys },
  patientId: string,
): Promise<KnownAllergy[]> {
  const { db, dataKeys } = deps;
  const rows = await listPatientRecordRows(db, patientId, {
    types: ['allergy'],
    before: undefined,
    limit: MAX_ALLERGIES,
  });
  // One query for every DEK, not one per allergy.
  const deks = await dataKeys.deksFor(
    db,
    rows.map((row) => recordKeyContext(row.id, patientId)),
  );
  const out: KnownAllergy[] = [];
  for (const [i, row] of rows.entries()) {
    try {
      const dek = deks[i];
      if (!(dek instanceof Buffer)) throw dek ?? new IntegrityError('no data key for this record');
      const sealed = JSON.parse(
        openWithDek(row.body_ct, recordFieldContext(row.id, patientId, 'body'), dek).toString('utf8'),
      ) as { body?: { substance?: unknown; severity?: unknown } };
      const { substance, severity } = sealed.body ?? {};
      if (typeof substance === 'string')
        out.push({ substance, severity: typeof severity === 'string' ? severity : 'unknown' });
    } catch (err) {
      if (err instanceof IntegrityError)
        throw new AppError(
          'integrity_failure',
          "One of this patient's allergy records fails its integrity check, so allergies cannot be shown.",
        );
      throw err;
    }
  }
  return out;
}
