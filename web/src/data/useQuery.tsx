import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { QueryCache, type Query, type QueryKey } from './query-cache.js';
import type { Resource } from './resource.js';

export interface Loaded<T> {
  readonly resource: Resource<T>;
  /** Loads again (after a change, or "Retry"); the previous answer stays until the new one is in. */
  readonly reload: () => Promise<void>;
}

export interface QueryOptions {
  /**
   * Show a kept answer at once but load again on mount, for pages whose point is what may have
   * changed elsewhere (a care team, who the doctor can reach). Off: a kept answer is used as is.
   */
  readonly refreshOnMount?: boolean;
}

const QueryCacheContext = createContext<QueryCache | undefined>(undefined);

/** One cache for everything below; mount it per session so a new session starts empty. */
export function QueryCacheProvider(props: { readonly children: ReactNode }) {
  const [cache] = useState(() => new QueryCache());
  return <QueryCacheContext.Provider value={cache}>{props.children}</QueryCacheContext.Provider>;
}

export function useQueryCache(): QueryCache {
  const cache = useContext(QueryCacheContext);
  if (!cache) throw new Error('useQueryCache() outside <QueryCacheProvider>');
  return cache;
}

/**
 * Data several pages share (see ./queries.ts), loaded once per session and kept: the second page
 * that asks gets the answer at once, without a request.
 */
export function useQuery<T>(query: Query<T>, options: QueryOptions = {}): Loaded<T> {
  return useCached(useQueryCache(), query.key, query.load, options.refreshOnMount ?? false);
}

const OWN_KEY: QueryKey = ['own'];

/**
 * Data only this component shows (a record, a list to page through): loaded on mount, kept only
 * while it is mounted. `load` is read when loading, so it need not be stable; remount (React
 * `key`) to load something else.
 */
export function useResource<T>(load: () => Promise<T>): Loaded<T> {
  const [own] = useState(() => new QueryCache());
  return useCached(own, OWN_KEY, load, false);
}

function useCached<T>(
  cache: QueryCache,
  key: QueryKey,
  load: () => Promise<T>,
  refreshOnMount: boolean,
): Loaded<T> {
  const id = QueryCache.idOf(key);
  // The latest key and loader, for loads started by effects and handlers; an effect reloads
  // only when the request (`id`) changes, not when a caller passes a new closure.
  const latest = useRef({ key, load });
  useLayoutEffect(() => {
    latest.current = { key, load };
  });

  const subscribe = useCallback((listener: () => void) => cache.subscribe(id, listener), [cache, id]);
  // Safe: one key always names one request (./queries.ts), so its answer is a T.
  const resource = useSyncExternalStore(subscribe, () => cache.read(id)) as Resource<T>;

  useEffect(() => {
    const { key: current, load: loader } = latest.current;
    void (refreshOnMount ? cache.refresh(id, current, loader) : cache.ensure(id, current, loader));
  }, [cache, id, refreshOnMount]);

  const reload = useCallback(() => cache.refresh(id, latest.current.key, latest.current.load), [cache, id]);
  return { resource, reload };
}
