import { Type, type Static } from '@sinclair/typebox';

/**
 * The parts of the API's answers the demo and the console read, as TypeBox schemas. They list
 * only the fields used (extra fields are allowed), so the API may grow without breaking them,
 * while a field that changed type or disappeared is caught at the boundary.
 */
const Str = Type.String();
const Int = Type.Integer();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const CreatedStaff = Type.Object({
  user: Type.Object({ id: Str, username: Str, role: Str }),
  keyId: Str,
  privateKeyPem: Str,
});

export const StaffList = Type.Object({
  users: Type.Array(
    Type.Object({
      id: Str,
      role: Str,
      username: Str,
      displayName: NullableStr,
      status: Str,
      keys: Type.Array(
        Type.Object({ keyId: Str, algorithm: Str, revokedAt: Type.Union([Int, Type.Null()]) }),
      ),
    }),
  ),
});

export const Registered = Type.Object({ patientId: Str, recoveryCode: Type.String({ minLength: 1 }) });

export const PatientPage = Type.Object({
  patients: Type.Array(Type.Object({ id: Str, fullName: Str, maskedSsn: Str, relation: Type.Optional(Str) })),
  nextCursor: NullableStr,
});

export const RecordSummary = Type.Object({ id: Str, patientId: Str, type: Str, createdAt: Int });

export const RecordListItem = Type.Object({
  id: Str,
  patientId: Str,
  type: Str,
  createdAt: Int,
  title: NullableStr,
  authorName: NullableStr,
});
export const RecordPage = Type.Object({ records: Type.Array(RecordListItem), nextCursor: NullableStr });
export type RecordListItem = Static<typeof RecordListItem>;

export const RecordView = Type.Object({
  id: Str,
  patientId: Str,
  type: Str,
  title: Str,
  body: Type.Unknown(),
  keywords: Type.Array(Str),
  authorName: NullableStr,
  createdAt: Int,
});
export type RecordView = Static<typeof RecordView>;

export const SearchPage = Type.Object({
  hits: Type.Array(Type.Object({ recordId: Str, patientId: Str, type: Str, title: Str, createdAt: Int })),
});

export const Attachment = Type.Object({
  id: Str,
  recordId: Str,
  contentType: Str,
  fileName: Str,
  size: Int,
  sha256: Str,
});
export const AttachmentCreated = Type.Object({ attachment: Attachment });
export const AttachmentList = Type.Object({ attachments: Type.Array(Attachment) });

export const Grant = Type.Object({ id: Str, doctorId: Str, status: Str, scope: Str });
export const GrantCreated = Type.Object({ grant: Grant });
export const GrantList = Type.Object({
  grants: Type.Array(
    Type.Object({
      id: Str,
      doctorId: Str,
      doctorName: NullableStr,
      status: Str,
      scope: Str,
      recordTypes: Type.Union([Type.Array(Str), Type.Null()]),
    }),
  ),
});
export const Doctors = Type.Object({
  doctors: Type.Array(Type.Object({ id: Str, displayName: NullableStr })),
});

export const AccessLogPage = Type.Object({
  entries: Type.Array(
    Type.Object({
      seq: Int,
      time: Int,
      actorName: NullableStr,
      actorRole: NullableStr,
      action: Str,
      recordType: NullableStr,
      outcome: Str,
      relation: NullableStr,
    }),
  ),
  nextCursor: NullableStr,
});

export const Medicines = Type.Object({
  medicines: Type.Array(Type.Object({ id: Str, genericName: Str, strength: Str, form: Str, route: Str })),
});
export type Medicine = Static<typeof Medicines>['medicines'][number];

export const SignedPrescription = Type.Object({ id: Str, patientId: Str, keyId: Str, algorithm: Str });

const Person = Type.Object({ id: Str, name: NullableStr });
export const QueueItem = Type.Object({
  id: Str,
  patient: Person,
  prescriber: Person,
  fillsRemaining: Int,
  details: Type.Union([
    Type.Object({
      medicine: Type.Object({ name: Str, strength: Str, form: Str }),
      dose: Str,
      frequency: Str,
      quantity: Int,
    }),
    Type.Null(),
  ]),
});
export type QueueItem = Static<typeof QueueItem>;
export const Queue = Type.Object({ items: Type.Array(QueueItem), nextCursor: NullableStr });

export const PrescriptionView = Type.Object({
  id: Str,
  status: Str,
  verification: Type.Object({
    valid: Type.Boolean(),
    failure: NullableStr,
    message: Str,
    keyId: Str,
    algorithm: Str,
  }),
});

export const Dispensed = Type.Object({
  prescriptionId: Str,
  fillNumber: Int,
  fillsRemaining: Int,
  status: Str,
});

export const VerifyAnswer = Type.Union([
  Type.Object({ ok: Type.Literal(true), size: Int }),
  Type.Object({ ok: Type.Literal(false), kind: Str, seq: Int, message: Str }),
]);
export type VerifyAnswer = Static<typeof VerifyAnswer>;
