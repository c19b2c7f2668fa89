/** Keyword search over encrypted records (doctors): GET /search?keyword=&cursor=&limit=. */
import { apiGet, isRecord } from './client.js';
import { firstText, idOf, listOf, parseEach, timeOf } from './parse.js';

export interface SearchHit {
  readonly recordId: string;
  readonly patientId: string;
  readonly type: string;
  readonly title: string;
  readonly createdAt: number | undefined;
}

export interface SearchPage {
  readonly hits: readonly SearchHit[];
  /** Pass back as `cursor` for more hits; undefined when there are none. */
  readonly next: string | undefined;
}

function parseHit(item: unknown): SearchHit | undefined {
  if (!isRecord(item)) return undefined;
  const recordId = idOf(item.recordId) ?? idOf(item.id);
  const patientId = idOf(item.patientId);
  if (recordId === undefined || patientId === undefined) return undefined;
  return {
    recordId,
    patientId,
    type: firstText(item, 'type') ?? 'record',
    title: firstText(item, 'title') ?? 'Untitled record',
    createdAt: timeOf(item.createdAt),
  };
}

export async function searchRecords(keyword: string, cursor?: string, limit?: number): Promise<SearchPage> {
  const params = new URLSearchParams({ keyword });
  if (cursor !== undefined) params.set('cursor', cursor);
  if (limit !== undefined) params.set('limit', String(limit));
  const body = await apiGet(`/search?${params.toString()}`);
  return {
    hits: parseEach(listOf(body, 'hits'), parseHit),
    next: isRecord(body) ? firstText(body, 'nextCursor', 'next') : undefined,
  };
}
