import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { MAX_MEDICINE_QUERY, MAX_MEDICINE_RESULTS } from '../../app/prescriptions/index.js';

const MedicineQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: MAX_MEDICINE_QUERY,
        description: 'Part of the generic name; case-insensitive.',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MEDICINE_RESULTS })),
  },
  { additionalProperties: false },
);

export const MedicineSchema = Type.Object(
  {
    id: Type.String(),
    genericName: Type.String(),
    strength: Type.String(),
    form: Type.String(),
    route: Type.String(),
    schedule: Type.Union([Type.String(), Type.Null()], {
      description: 'US controlled-substance schedule (II–V), or null.',
    }),
  },
  { additionalProperties: false, title: 'Medicine' },
);

/** The medicines catalog search (doctors and pharmacists). */
export async function medicineRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get<{ Querystring: Static<typeof MedicineQuery> }>(
    '/api/v1/medicines',
    {
      schema: {
        tags: ['prescriptions'],
        summary: 'Searches the medicines catalog by generic name (doctor, pharmacist).',
        querystring: MedicineQuery,
        response: {
          200: Type.Object({ medicines: Type.Array(MedicineSchema) }, { additionalProperties: false }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      medicines: await ctx.prescriptions.medicines.search(
        requireScope(request),
        request.query.q,
        request.query.limit,
      ),
    }),
  );
}
