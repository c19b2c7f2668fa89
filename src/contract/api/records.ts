import { Type, type Static } from '@sinclair/typebox';
import { MAX_UTC_OFFSET_MINUTES } from '../vocabulary/audit.js';
import { MAX_ACCESS_LOG_PAGE, MAX_RECORD_PAGE, MAX_SEARCH_PAGE } from '../vocabulary/paging.js';
import { WRITABLE_RECORD_TYPES } from '../vocabulary/record-types.js';
import { MAX_KEYWORD_LENGTH, MAX_KEYWORDS, MAX_TITLE_LENGTH } from '../vocabulary/records.js';
import { closed, CursorField, EpochMs, IdParams, NextCursor, Nullable } from './common.js';
import { route } from './route.js';

export const NewRecord = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 40,
      description: `One of ${WRITABLE_RECORD_TYPES.join(', ')} (prescriptions: POST /api/v1/prescriptions).`,
    }),
    title: Type.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH }),
    body: Type.Object(
      {},
      {
        additionalProperties: true,
        description:
          'The body of the type; its schema is in docs/records.md. Checked field by field: a 400 names the field.',
      },
    ),
    keywords: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: MAX_KEYWORD_LENGTH }), { maxItems: MAX_KEYWORDS }),
    ),
  },
  closed,
);
export type NewRecord = Static<typeof NewRecord>;

const summaryFields = {
  id: Type.String(),
  patientId: Type.String(),
  type: Type.String(),
  authorId: Type.String(),
  createdAt: EpochMs(),
};
export const RecordSummary = Type.Object(summaryFields, { ...closed, title: 'RecordSummary' });

export const RecordListItem = Type.Object(
  { ...summaryFields, title: Nullable(Type.String()), authorName: Nullable(Type.String()) },
  { ...closed, title: 'RecordListItem' },
);
export type RecordListItem = Static<typeof RecordListItem>;

export const RecordPage = Type.Object(
  { records: Type.Array(RecordListItem), nextCursor: NextCursor },
  closed,
);

export const RecordView = Type.Object(
  {
    ...summaryFields,
    title: Type.String(),
    body: Type.Unknown({ description: 'The decrypted body of its type (docs/records.md).' }),
    keywords: Type.Array(Type.String()),
    authorName: Nullable(Type.String()),
  },
  { ...closed, title: 'RecordView' },
);
export type RecordView = Static<typeof RecordView>;

const RecordListQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    cursor: Type.Optional(CursorField),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECORD_PAGE })),
  },
  closed,
);

const SearchQuery = Type.Object(
  {
    keyword: Type.String({ minLength: 1, maxLength: MAX_KEYWORD_LENGTH }),
    cursor: Type.Optional(CursorField),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_PAGE })),
  },
  closed,
);
export const SearchHit = Type.Object(
  {
    recordId: Type.String(),
    patientId: Type.String(),
    type: Type.String(),
    title: Type.String(),
    createdAt: EpochMs(),
  },
  closed,
);
export type SearchHit = Static<typeof SearchHit>;
export const SearchPage = Type.Object({ hits: Type.Array(SearchHit), nextCursor: NextCursor }, closed);

const AccessLogQuery = Type.Object(
  {
    cursor: Type.Optional(CursorField),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ACCESS_LOG_PAGE })),
    utcOffset: Type.Optional(
      Type.Integer({
        minimum: -MAX_UTC_OFFSET_MINUTES,
        maximum: MAX_UTC_OFFSET_MINUTES,
        description:
          "The reader's UTC offset in minutes east (default 0): entries are grouped by the reader's day. A cursor keeps the first page's.",
      }),
    ),
  },
  closed,
);
export const AccessLogEntry = Type.Object(
  {
    seq: Type.Integer(),
    time: EpochMs(),
    actorId: Nullable(Type.String()),
    actorName: Nullable(Type.String()),
    actorRole: Nullable(Type.String()),
    action: Type.String(),
    recordId: Nullable(Type.String()),
    recordType: Nullable(Type.String()),
    outcome: Type.String(),
    relation: Nullable(Type.String()),
    breakGlassReason: Nullable(Type.String()),
    count: Type.Integer({
      minimum: 1,
      description:
        'Entries this line stands for: alike entries of one day (actor, action, target, outcome, relation, break-glass) are one line. `seq` and `time` are the newest.',
    }),
    firstSeq: Type.Integer(),
    firstTime: EpochMs(),
  },
  { ...closed, title: 'AccessLogEntry' },
);
export type AccessLogEntry = Static<typeof AccessLogEntry>;
export const AccessLogPage = Type.Object(
  { entries: Type.Array(AccessLogEntry), nextCursor: NextCursor },
  closed,
);

const tags = ['records'];

/** Records, keyword search and the patient's access history. */
export const recordRoutes = {
  createRecord: route({
    method: 'POST',
    path: '/api/v1/patients/:id/records',
    tags,
    summary: 'Writes an encrypted record for a patient (a doctor with access).',
    params: IdParams,
    body: NewRecord,
    ok: { 201: RecordSummary },
    errors: [401, 403, 404],
  }),
  listRecords: route({
    method: 'GET',
    path: '/api/v1/patients/:id/records',
    tags,
    summary: "A patient's records, newest first, with titles (the patient; a doctor with access).",
    params: IdParams,
    query: RecordListQuery,
    ok: { 200: RecordPage },
    errors: [401, 403, 404, 422],
    page: { items: 'records', next: 'nextCursor', param: 'cursor' },
  }),
  recentRecords: route({
    method: 'GET',
    path: '/api/v1/records/recent',
    tags,
    summary: 'Records the calling doctor wrote lately (metadata only).',
    ok: { 200: Type.Object({ records: Type.Array(RecordListItem) }, closed) },
    errors: [401, 403, 422],
  }),
  getRecord: route({
    method: 'GET',
    path: '/api/v1/records/:id',
    tags,
    summary: 'One record, decrypted (the patient; a doctor with access). Logged in the ledger.',
    params: IdParams,
    ok: { 200: RecordView },
    errors: [401, 403, 404, 422],
  }),
  search: route({
    method: 'GET',
    path: '/api/v1/search',
    tags,
    summary: 'Keyword search over the encrypted index: hits the doctor may read, newest first.',
    query: SearchQuery,
    ok: { 200: SearchPage },
    errors: [401, 403, 422],
    page: { items: 'hits', next: 'nextCursor', param: 'cursor' },
  }),
  accessLog: route({
    method: 'GET',
    path: '/api/v1/patients/:id/access-log',
    tags,
    summary:
      "Who accessed the patient's data, newest first, alike entries of one day grouped with their count (the patient; admins).",
    params: IdParams,
    query: AccessLogQuery,
    ok: { 200: AccessLogPage },
    errors: [401, 403, 404, 422],
    page: { items: 'entries', next: 'nextCursor', param: 'cursor' },
  }),
} as const;
