/** The subset of autocannon 9's programmatic API the HTTP load benchmark uses (it ships no types). */
declare module 'autocannon' {
  interface Histogram {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
  }
  interface RequestSpec {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly setupRequest?: (request: RequestSpec) => RequestSpec;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly timeout?: number;
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly requests?: readonly RequestSpec[];
  }
  interface Result {
    readonly requests: Histogram;
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly duration: number;
    readonly statusCodeStats: Record<string, { readonly count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
