/** The demo's client across several servers: requests in turn, and which write routes it took. */

/**
 * A fetch that sends each request to the next of `urls` in turn (requests name the first), and
 * notes each write's "METHOD /path" in `writes`.
 */
export function inTurn(urls: readonly string[], writes: Set<string>): typeof fetch {
  let turn = 0;
  return (input, init) => {
    const next = urls[turn++ % urls.length] as string;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (typeof input === 'string' && method !== 'GET' && method !== 'HEAD')
      writes.add(`${method} ${new URL(input).pathname}`);
    const target =
      typeof input === 'string' && next !== urls[0] ? next + input.slice(urls[0]!.length) : input;
    return globalThis.fetch(target, init);
  };
}

/** How many documented write routes ("POST /api/v1/records/:id") some path in `taken` matches. */
export function writeRoutesTaken(
  documented: ReadonlySet<string>,
  taken: ReadonlySet<string>,
): { taken: number; of: number; untaken: string[] } {
  const writes = [...documented].filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r));
  const matches = (route: string): boolean => {
    const [method, template] = route.split(' ') as [string, string];
    const parts = template.split('/');
    return [...taken].some((t) => {
      const [m, p] = t.split(' ') as [string, string];
      const got = p.split('/');
      return (
        m === method &&
        got.length === parts.length &&
        parts.every((part, i) => part.startsWith(':') || part === got[i])
      );
    });
  };
  return {
    taken: writes.filter(matches).length,
    of: writes.length,
    untaken: writes.filter((r) => !matches(r)),
  };
}
