/** One load run, as the orchestrator sends it to the load process (plain JSON over IPC). */
export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  /** One body for every request, or a list used in turn (single-use bodies: staff logins). */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

/** What one run measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Status code → count, to say what the non-2xx were. */
  readonly statuses: Record<string, number>;
}

/** `GET /` of the hello-world baseline at `url`. */
export function helloWorldSpec(url: string, connections: number, seconds: number): LoadSpec {
  return { url, method: 'GET', path: '/', headers: {}, bodies: [], connections, seconds };
}
