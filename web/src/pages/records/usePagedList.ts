import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../messages.js';

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

/** One listing of the list: answers for a listing that was started over are dropped. */
interface Listing {
  stale: boolean;
}

/**
 * A list loaded a page at a time with the server's cursor ("Load more"). `load` must be stable
 * (useCallback): a new `load` starts the list again. Answers for an older `load` are dropped.
 */
export function usePagedList<T>(
  load: (
    cursor: string | undefined,
  ) => Promise<{ readonly items: readonly T[]; readonly next: string | null | undefined }>,
  keyOf: (item: T) => string,
): PagedList<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const listing = useRef<Listing>({ stale: false });
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;

  const fetchPage = useCallback(
    async (cursor: string | undefined, mine: Listing): Promise<void> => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await load(cursor);
        if (mine.stale) return;
        setItems((before) => {
          const seen = new Set(before.map((item) => keyRef.current(item)));
          return [...before, ...page.items.filter((item) => !seen.has(keyRef.current(item)))];
        });
        setNext(page.next ?? undefined);
        setLoaded(true);
      } catch (caught) {
        if (!mine.stale) setError(describeError(caught));
      } finally {
        if (!mine.stale) setLoading(false);
      }
    },
    [load],
  );

  useEffect(() => {
    const mine: Listing = { stale: false };
    listing.current = mine;
    setItems([]);
    setNext(undefined);
    setLoaded(false);
    void fetchPage(undefined, mine);
    return () => {
      mine.stale = true;
    };
  }, [fetchPage]);

  return {
    items,
    loading,
    error,
    loaded,
    hasMore: next !== undefined,
    loadMore: () => void fetchPage(next, listing.current),
    retry: () => void fetchPage(next, listing.current),
  };
}
