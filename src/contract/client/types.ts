import type { Static, TSchema } from '@sinclair/typebox';
import type { FileBody } from '../api/common.js';
import type { MultipartSpec, OkBodyOf, OkStatusOf, PageSpec } from '../api/route.js';
import type { ApiRoutes, RouteName } from '../api/routes.js';

/**
 * The client's types, all derived from the route table: a field renamed in a schema changes
 * these, and every caller that reads it stops compiling.
 */

export type { RouteName };
export type RouteOf<N extends RouteName> = ApiRoutes[N];

/** The empty object type: `Nothing extends T` holds when every field of T is optional. */
type Nothing = Record<never, never>;

type ParamsInput<R> = R extends { readonly params: infer P extends TSchema }
  ? { params: Static<P> }
  : { params?: never };
type QueryInput<R> = R extends { readonly query: infer Q extends TSchema }
  ? // A query whose every field is optional may be left out.
    Nothing extends Static<Q>
    ? { query?: Static<Q> }
    : { query: Static<Q> }
  : { query?: never };
type BodyInput<R> = R extends { readonly body: infer B extends TSchema }
  ? { body: Static<B> }
  : { body?: never };

/** What a call of route `N` takes: `{ params?, query?, body? }` as its schemas say. */
export type RouteInput<N extends RouteName> = ParamsInput<RouteOf<N>> &
  QueryInput<RouteOf<N>> &
  BodyInput<RouteOf<N>>;

/** The input argument: optional when the route needs nothing. */
export type InputArgs<N extends RouteName> =
  Nothing extends RouteInput<N> ? [input?: RouteInput<N>] : [input: RouteInput<N>];

/** The body of a success answer of route `N`. */
export type RouteOutput<N extends RouteName> = OkBodyOf<RouteOf<N>>;

/** A success answer with its status, for routes that answer more than one (care team: 200 or 201). */
export type RouteSuccess<N extends RouteName> = {
  [S in OkStatusOf<RouteOf<N>>]: {
    readonly ok: true;
    readonly status: S;
    readonly body: RouteOf<N>['ok'][S] extends infer T extends TSchema ? Static<T> : never;
  };
}[OkStatusOf<RouteOf<N>>];

/** Routes answered and sent as JSON (not a file upload or download). */
export type JsonRouteName = {
  [N in RouteName]: RouteOf<N> extends { readonly multipart: MultipartSpec }
    ? never
    : RouteOutput<N> extends FileBody
      ? never
      : N;
}[RouteName];

/** Routes whose answer is a page of a longer list, with a cursor to the next. */
export type PagedRouteName = {
  [N in RouteName]: RouteOf<N> extends { readonly page: PageSpec } ? N : never;
}[RouteName];

type PageItemsKey<N extends PagedRouteName> =
  RouteOf<N> extends { readonly page: { readonly items: infer K } } ? K : never;

/** One row of a paged route's list. */
export type PageItem<N extends PagedRouteName> =
  RouteOutput<N> extends infer Page
    ? PageItemsKey<N> extends keyof Page
      ? Page[PageItemsKey<N>] extends ReadonlyArray<infer Item>
        ? Item
        : never
      : never
    : never;
