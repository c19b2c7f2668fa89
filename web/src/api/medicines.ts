/** The medicines catalog: GET /medicines?q= (doctors and pharmacists). */
import { api, type RouteOutput } from './client.js';

export type Medicine = RouteOutput<'searchMedicines'>['medicines'][number];

export async function searchMedicines(query: string, limit = 20): Promise<Medicine[]> {
  return (await api.call('searchMedicines', { query: { q: query.trim(), limit } })).medicines;
}

/** "Amoxicillin 500 mg capsule" */
export function medicineLabel(m: {
  genericName?: string;
  name?: string;
  strength: string;
  form: string;
}): string {
  return `${m.genericName ?? m.name ?? ''} ${m.strength} ${m.form}`;
}
