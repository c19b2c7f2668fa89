/** Keyword search over encrypted records (doctors): GET /search?keyword=&cursor=&limit=. */
import { api, type RouteOutput } from './client.js';

export type SearchPage = RouteOutput<'search'>;
export type SearchHit = SearchPage['hits'][number];

export async function searchRecords(keyword: string, cursor?: string, limit?: number): Promise<SearchPage> {
  return api.call('search', { query: { keyword, cursor, limit } });
}
