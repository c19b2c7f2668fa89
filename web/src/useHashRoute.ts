import { useEffect, useState } from 'react';

/**
 * The current route from the URL hash (`#/records` → "records"). Hash routing needs no
 * server-side fallback: the server only ever serves index.html at `/`.
 */
export function useHashRoute(): string {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const update = (): void => setRoute(readRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function routeHref(path: string): string {
  return `#/${path}`;
}

function readRoute(): string {
  return window.location.hash.replace(/^#\/?/, '');
}
