/**
 * Every view of the UI, by name, and its URL after `#/`. Hash routing needs no server-side
 * fallback: the server only ever serves index.html at `/`. A path is literal segments and
 * `:param` segments; `query` names the search parameters a view reads. Links are made with
 * {@link href}, so a misspelt route or a missing id fails the build, not a click.
 *
 * A route name means one URL across roles (`account` is every role's own account page, each
 * with its role's view); each role reaches only its own routes (see ROLE_ROUTES).
 * The top-level views carry their navigation item's path as their name (nav.ts).
 */
import { useSyncExternalStore } from 'react';
// First: its hashchange listener must run before the router's (a refused leave is undone there).
import { allowNextNavigation } from './forms/unsaved.js';
import { NAV, type Role } from './nav.js';

interface RouteDef {
  readonly path: string;
  readonly query?: readonly string[];
}

export const ROLE_ROUTES = {
  patient: {
    dashboard: { path: 'dashboard' },
    records: { path: 'records' },
    // Before `record`: of two routes that fit alike, the first wins.
    'records-summary': { path: 'records/summary' },
    record: { path: 'records/:recordId' },
    sharing: { path: 'sharing' },
    'access-history': { path: 'access-history' },
    prescriptions: { path: 'prescriptions' },
    account: { path: 'account' },
    prescription: { path: 'prescriptions/:prescriptionId' },
  },
  doctor: {
    patients: { path: 'patients' },
    patient: { path: 'patients/:patientId' },
    'patient-record': { path: 'patients/:patientId/records/:recordId', query: ['saved', 'uploadError'] },
    'patient-prescription': { path: 'patients/:patientId/prescriptions/:prescriptionId' },
    'patient-new-record': { path: 'patients/:patientId/new' },
    'patient-new-record-of-type': { path: 'patients/:patientId/new/:type' },
    search: { path: 'search', query: ['keyword'] },
    'new-record': { path: 'new-record', query: ['patient', 'type'] },
    prescribe: { path: 'prescribe', query: ['patient'] },
    'emergency-access': { path: 'emergency-access' },
    account: { path: 'account' },
  },
  pharmacist: {
    'prescription-queue': { path: 'prescription-queue' },
    account: { path: 'account' },
  },
  registrar: {
    'register-patient': { path: 'register-patient' },
    'care-teams': { path: 'care-teams' },
    approvals: { path: 'approvals' },
    account: { path: 'account' },
  },
  admin: {
    users: { path: 'users' },
    approvals: { path: 'approvals' },
    audit: { path: 'audit' },
    statistics: { path: 'statistics' },
    account: { path: 'account' },
  },
} as const satisfies Record<Role, Record<string, RouteDef>>;

type Table = typeof ROLE_ROUTES;

/** The routes one role may open, e.g. `RouteName<'patient'>` is "dashboard" | "records" | …. */
export type RouteName<R extends Role = Role> = R extends Role ? keyof Table[R] & string : never;

type AllRoutes = Table['patient'] &
  Table['doctor'] &
  Table['pharmacist'] &
  Table['registrar'] &
  Table['admin'];

type ParamNames<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? ParamNames<Head> | ParamNames<Tail>
  : P extends `:${infer Name}`
    ? Name
    : never;
type QueryNames<D> = D extends { readonly query: readonly (infer Q extends string)[] } ? Q : never;

/** What a route's view is given: its path parameters, and its query parameters when present. */
export type RouteParams<N extends RouteName> = {
  readonly [K in ParamNames<AllRoutes[N]['path']>]: string;
} & {
  readonly [K in QueryNames<AllRoutes[N]>]?: string | undefined;
};

type HasNoPathParams<N extends RouteName> = [ParamNames<AllRoutes[N]['path']>] extends [never] ? true : false;

/** The routes a link names without ids: the pages a navigation item opens. */
export type PageRouteName<R extends Role = Role> = {
  [N in RouteName<R>]: HasNoPathParams<N> extends true ? N : never;
}[RouteName<R>];

type HrefArgs<N extends RouteName> = N extends RouteName
  ? HasNoPathParams<N> extends true
    ? [params?: RouteParams<N>]
    : [params: RouteParams<N>]
  : never;

const ROUTES: Readonly<Record<string, RouteDef>> = flatten();

function flatten(): Record<string, RouteDef> {
  const all: Record<string, RouteDef> = {};
  for (const table of Object.values(ROLE_ROUTES) as Readonly<Record<string, RouteDef>>[]) {
    for (const [name, def] of Object.entries(table)) {
      // href() takes a name without a role, so a name must mean one route (one path and query).
      const seen = all[name];
      if (seen && JSON.stringify(seen) !== JSON.stringify(def))
        throw new Error(`route name ${name} names two routes`);
      all[name] = def;
    }
  }
  return all;
}

/**
 * `#/patients/p%2F1/records/r1?saved=1` from ('patient-record', {patientId: 'p/1', recordId:
 * 'r1', saved: '1'}). Ids are escaped so they can never change the route; empty query values
 * are left out.
 */
export function href<N extends RouteName>(name: N, ...[params]: HrefArgs<N>): string {
  const def = ROUTES[name];
  if (!def) throw new Error(`unknown route ${name}`);
  const values: Readonly<Record<string, string | undefined>> = params ?? {};
  const path = def.path
    .split('/')
    .map((part) => (part.startsWith(':') ? encodeURIComponent(values[part.slice(1)] ?? '') : part))
    .join('/');
  const search = new URLSearchParams();
  for (const key of def.query ?? []) {
    const value = values[key];
    if (value) search.set(key, value);
  }
  const query = search.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

/** Goes to a route (a history entry, so Back returns). */
export function navigate(target: string): void {
  if (window.location.hash === target) return;
  allowNextNavigation();
  window.location.hash = target.slice(1);
}

/** The route the hash names for a role, with its parameters. */
export interface RouteMatch<R extends Role = Role> {
  readonly name: RouteName<R>;
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The path parameters only: what makes this view another one (used as React key). */
  readonly identity: string;
}

/**
 * Matches a hash against the role's routes. The longest route whose segments begin the path
 * wins, so extra segments are ignored (`#/records/r1/x` is record r1); a path no route of the
 * role begins with opens the role's first route, as the navigation's home.
 */
export function matchRoute<R extends Role>(role: R, hash: string): RouteMatch<R> {
  const raw = hash.replace(/^#\/?/, '');
  const queryAt = raw.indexOf('?');
  const segments = (queryAt === -1 ? raw : raw.slice(0, queryAt))
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  const search = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));

  const routes = Object.entries(ROLE_ROUTES[role] as Readonly<Record<string, RouteDef>>);
  let best: { name: string; def: RouteDef; length: number } | undefined;
  for (const [name, def] of routes) {
    const pattern = def.path.split('/');
    const fits =
      pattern.length <= segments.length &&
      pattern.every((part, index) => part.startsWith(':') || part === segments[index]);
    if (fits && (!best || pattern.length > best.length)) best = { name, def, length: pattern.length };
  }
  const home = NAV[role][0]?.path;
  const homeDef = home === undefined ? undefined : ROUTES[home];
  if (home === undefined || !homeDef) throw new Error(`role ${role} has no home route`);
  const { name, def } = best ?? { name: home, def: homeDef };

  const params: Record<string, string | undefined> = {};
  const path: string[] = [];
  def.path.split('/').forEach((part, index) => {
    if (!part.startsWith(':')) return;
    params[part.slice(1)] = segments[index];
    path.push(segments[index] ?? '');
  });
  for (const key of def.query ?? []) params[key] = search.get(key) ?? undefined;
  return { name: name as RouteName<R>, params, identity: JSON.stringify([name, ...path]) };
}

/** The first path segment of a route: which navigation item it belongs to. */
export function sectionOf(name: RouteName): string {
  return ROUTES[name]?.path.split('/', 1)[0] ?? name;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route for a role, following the hash as the user navigates. */
export function useRoute<R extends Role>(role: R): RouteMatch<R> {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return matchRoute(role, hash);
}
