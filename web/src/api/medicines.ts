/** The medicines catalog: GET /medicines?q= (doctors and pharmacists). */
import { apiGet, isRecord } from './client.js';
import { listOf, parseEach, textOf } from './parse.js';

export interface Medicine {
  readonly id: string;
  readonly genericName: string;
  readonly strength: string;
  readonly form: string;
  readonly route: string;
  /** Controlled-substance schedule ("II".."V"), if any. */
  readonly schedule: string | undefined;
}

function parseMedicine(item: unknown): Medicine | undefined {
  if (!isRecord(item)) return undefined;
  const id = textOf(item.id);
  const genericName = textOf(item.genericName);
  const strength = textOf(item.strength);
  const form = textOf(item.form);
  const route = textOf(item.route);
  if (!id || !genericName || !strength || !form || !route) return undefined;
  return { id, genericName, strength, form, route, schedule: textOf(item.schedule) };
}

export async function searchMedicines(query: string, limit = 20): Promise<Medicine[]> {
  const q = encodeURIComponent(query.trim());
  return parseEach(listOf(await apiGet(`/medicines?q=${q}&limit=${limit}`), 'medicines'), parseMedicine);
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
