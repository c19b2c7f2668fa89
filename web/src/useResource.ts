import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api/client.js';

export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly message: string };

/**
 * Loads data for a page and reloads it on demand (after a change). An answer that arrives after
 * the page has moved on, or after a newer reload, is dropped.
 */
export function useResource<T>(load: () => Promise<T>): {
  readonly resource: Resource<T>;
  readonly reload: () => Promise<void>;
} {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async (): Promise<void> => {
    const mine = ++generation.current;
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setResource({ status: 'ready', data });
    } catch (error) {
      if (mine === generation.current) setResource({ status: 'error', message: describeError(error) });
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  return { resource, reload };
}
