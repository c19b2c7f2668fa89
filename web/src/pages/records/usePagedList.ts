import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/client.js';

export interface PagedList<T> {
  readonly items: readonly T[];
  readonly loading: boolean;
  readonly error: string | undefined;
  /** True once the first page arrived. */
  readonly loaded: boolean;
  readonly hasMore: boolean;
  readonly loadMore: () => void;
  readonly retry: () => void;
}

/**
 * A list loaded a page at a time with the server's cursor ("Load more"). `load` must be stable
 * (useCallback): a new `load` starts the list again. Answers for an older `load` are dropped.
 */
export function usePagedList<T>(
  load: (
    cursor: string | undefined,
  ) => Promise<{ readonly items: readonly T[]; readonly next: string | undefined }>,
  keyOf: (item: T) => string,
): PagedList<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const generation = useRef(0);
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;

  const fetchPage = useCallback(
    async (cursor: string | undefined, mine: number): Promise<void> => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await load(cursor);
        if (mine !== generation.current) return;
        setItems((before) => {
          const seen = new Set(before.map((item) => keyRef.current(item)));
          return [...before, ...page.items.filter((item) => !seen.has(keyRef.current(item)))];
        });
        setNext(page.next);
        setLoaded(true);
      } catch (caught) {
        if (mine === generation.current) setError(describeError(caught));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [load],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setItems([]);
    setNext(undefined);
    setLoaded(false);
    void fetchPage(undefined, mine);
    return () => {
      generation.current++;
    };
  }, [fetchPage]);

  return {
    items,
    loading,
    error,
    loaded,
    hasMore: next !== undefined,
    loadMore: () => void fetchPage(next, generation.current),
    retry: () => void fetchPage(next, generation.current),
  };
}
