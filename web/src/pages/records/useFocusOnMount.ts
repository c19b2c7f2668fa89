import { useEffect, useRef } from 'react';

/**
 * Focuses a heading (tabIndex -1) when a view appears inside a page, so keyboard and
 * screen-reader users land on the new view instead of the link they pressed, which is gone.
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) ref.current?.focus();
  }, [enabled]);
  return ref;
}
