import { Type, type Static } from '@sinclair/typebox';
import { MAX_MEDICINE_QUERY } from '../vocabulary/medicines.js';
import { MAX_MEDICINE_RESULTS } from '../vocabulary/paging.js';
import { closed, Nullable } from './common.js';
import { route } from './route.js';

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
  closed,
);

export const Medicine = Type.Object(
  {
    id: Type.String(),
    genericName: Type.String(),
    strength: Type.String(),
    form: Type.String(),
    route: Type.String(),
    schedule: Nullable(Type.String(), { description: 'US controlled-substance schedule (II–V), or null.' }),
    ingredients: Type.Array(Type.String(), {
      description: 'Active ingredients, lower case (src/contract/vocabulary/drug-classes.ts).',
    }),
    classes: Type.Array(Type.String(), { description: 'Drug classes of the ingredients, narrowest first.' }),
  },
  { ...closed, title: 'Medicine' },
);
export type Medicine = Static<typeof Medicine>;

/** The medicines catalog search (doctors and pharmacists). */
export const medicineRoutes = {
  searchMedicines: route({
    method: 'GET',
    path: '/api/v1/medicines',
    tags: ['prescriptions'],
    summary: 'Searches the medicines catalog by generic name (doctor, pharmacist).',
    query: MedicineQuery,
    ok: { 200: Type.Object({ medicines: Type.Array(Medicine) }, closed) },
    errors: [401, 403],
  }),
} as const;
