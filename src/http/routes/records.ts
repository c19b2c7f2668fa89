import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { IdField, PatientParams } from './patients.js';
import {
  MAX_KEYWORD_LENGTH,
  MAX_KEYWORDS,
  MAX_RECORD_PAGE,
  MAX_TITLE_LENGTH,
  WRITABLE_RECORD_TYPES,
  MAX_SEARCH_PAGE,
  MAX_ACCESS_LOG_PAGE,
} from '../../app/records/index.js';

const RecordParams = Type.Object({ id: IdField }, { additionalProperties: false });
const Cursor = Type.String({ minLength: 1, maxLength: 200 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const NewRecord = Type.Object(
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
  { additionalProperties: false },
);

const Summary = {
  id: Type.String(),
  patientId: Type.String(),
  type: Type.String(),
  authorId: Type.String(),
  createdAt: Type.Integer({ description: 'Epoch milliseconds.' }),
};
const RecordSummary = Type.Object(Summary, { additionalProperties: false });
const ListItem = Type.Object(
  { ...Summary, title: Nullable(Type.String()), authorName: Nullable(Type.String()) },
  { additionalProperties: false },
);
const RecordPage = Type.Object(
  { records: Type.Array(ListItem), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
const RecordView = Type.Object(
  {
    ...Summary,
    title: Type.String(),
    body: Type.Unknown(),
    keywords: Type.Array(Type.String()),
    authorName: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECORD_PAGE })),
  },
  { additionalProperties: false },
);
const SearchQuery = Type.Object(
  {
    keyword: Type.String({ minLength: 1, maxLength: MAX_KEYWORD_LENGTH }),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_PAGE })),
  },
  { additionalProperties: false },
);
const SearchPage = Type.Object(
  {
    hits: Type.Array(
      Type.Object(
        {
          recordId: Type.String(),
          patientId: Type.String(),
          type: Type.String(),
          title: Type.String(),
          createdAt: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    nextCursor: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
const LogQuery = Type.Object(
  {
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ACCESS_LOG_PAGE })),
  },
  { additionalProperties: false },
);
const AccessLogPage = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          seq: Type.Integer(),
          time: Type.Integer(),
          actorId: Nullable(Type.String()),
          actorName: Nullable(Type.String()),
          actorRole: Nullable(Type.String()),
          action: Type.String(),
          recordId: Nullable(Type.String()),
          recordType: Nullable(Type.String()),
          outcome: Type.String(),
          relation: Nullable(Type.String()),
          breakGlassReason: Nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    nextCursor: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * Records, keyword search and the patient's access history. Thin: the records services decide
 * access and validate bodies (a 400 names the field; a record that fails its integrity check 422).
 */
export async function recordRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post<{ Params: Static<typeof PatientParams>; Body: Static<typeof NewRecord> }>(
    '/api/v1/patients/:id/records',
    {
      schema: {
        tags: ['records'],
        summary: 'Writes an encrypted record for a patient (a doctor with access).',
        params: PatientParams,
        body: NewRecord,
        response: { 201: RecordSummary, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await ctx.records.records.create(requireScope(request), request.params.id, request.body)),
  );

  app.get<{ Params: Static<typeof PatientParams>; Querystring: Static<typeof ListQuery> }>(
    '/api/v1/patients/:id/records',
    {
      schema: {
        tags: ['records'],
        summary: "A patient's records, newest first, with titles (the patient; a doctor with access).",
        params: PatientParams,
        querystring: ListQuery,
        response: { 200: RecordPage, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ctx.records.records.list(requireScope(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/records/recent',
    {
      schema: {
        tags: ['records'],
        summary: 'Records the calling doctor wrote lately (metadata only).',
        response: { 200: Type.Object({ records: Type.Array(ListItem) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ctx.records.records.recent(requireScope(request)),
  );

  app.get<{ Params: Static<typeof RecordParams> }>(
    '/api/v1/records/:id',
    {
      schema: {
        tags: ['records'],
        summary: 'One record, decrypted (the patient; a doctor with access). Logged in the ledger.',
        params: RecordParams,
        response: { 200: RecordView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ctx.records.records.get(requireScope(request), request.params.id),
  );

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/api/v1/search',
    {
      schema: {
        tags: ['records'],
        summary: 'Keyword search over the encrypted index: hits the doctor may read, newest first.',
        querystring: SearchQuery,
        response: { 200: SearchPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ctx.records.search.search(requireScope(request), request.query),
  );

  app.get<{ Params: Static<typeof PatientParams>; Querystring: Static<typeof LogQuery> }>(
    '/api/v1/patients/:id/access-log',
    {
      schema: {
        tags: ['records'],
        summary: "Who accessed the patient's data, newest first (the patient; admins).",
        params: PatientParams,
        querystring: LogQuery,
        response: { 200: AccessLogPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ctx.records.accessLog.list(requireScope(request), request.params.id, request.query),
  );
}
