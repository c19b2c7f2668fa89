import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';

/** A searchset Bundle: each entry with its full URL; links as given (self, next). */
export function searchset(
  base: string,
  resources: readonly Resource[],
  links: BundleLink[],
  total?: number,
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: links,
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** The URL of a search with its parameters (repeated ones repeated), `_cursor` replaced. */
export function searchUrl(
  base: string,
  type: string,
  query: Partial<Record<string, string | number | string[]>>,
  cursor?: string,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === '_cursor' || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) params.append(k, one);
  }
  if (cursor !== undefined) params.append('_cursor', cursor);
  const text = params.toString();
  return `${base}/${type}${text.length === 0 ? '' : `?${text}`}`;
}
