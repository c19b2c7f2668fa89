import { useHashRoute } from '../../useHashRoute.js';

/**
 * Pages with their own views (a patient, a record, a form) keep them in the hash after the nav
 * path: `#/patients/<patientId>/records/<recordId>`, `#/search?keyword=asthma`. Links and the
 * back button then work as everywhere else; ids are escaped so they can never change the route.
 */
export interface SubRoute {
  /** Decoded segments after the nav path. */
  readonly segments: readonly string[];
  readonly params: URLSearchParams;
}

export function parseSubRoute(route: string): SubRoute {
  const queryAt = route.indexOf('?');
  const path = queryAt === -1 ? route : route.slice(0, queryAt);
  const query = queryAt === -1 ? '' : route.slice(queryAt + 1);
  const segments = path
    .split('/')
    .slice(1)
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, params: new URLSearchParams(query) };
}

export function useSubRoute(): SubRoute {
  return parseSubRoute(useHashRoute());
}

/** `#/patients/p%2F1/records/r1` from ('patients', 'p/1', 'records', 'r1'), with an optional query. */
export function pageHref(
  segments: readonly string[],
  query?: Readonly<Record<string, string | undefined>>,
): string {
  const path = segments.map((s) => encodeURIComponent(s)).join('/');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

/** Goes to a sub-route (a history entry, so Back returns). */
export function navigate(href: string): void {
  window.location.hash = href.slice(1);
}
