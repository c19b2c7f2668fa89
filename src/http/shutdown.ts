import type { FastifyInstance } from 'fastify';

/** What installGracefulShutdown needs from the process; injectable for tests. */
export interface ShutdownProcess {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  /** Defaults to the real `process`. */
  readonly proc?: ShutdownProcess;
  /** Give up waiting for in-flight requests after this long and exit 1. Default 10 s. */
  readonly timeoutMs?: number;
}

const REAP_INTERVAL_MS = 100;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM or SIGINT: stop accepting connections and finish in-flight requests
 * (`app.close()`), then run `onClosed` (e.g. close the database), then exit 0. A second signal
 * while closing exits at once (1); so does a failure or a close that outlasts the timeout.
 * Returns a function that removes the signal handlers.
 */
export function installGracefulShutdown(
  app: FastifyInstance,
  onClosed?: () => Promise<void>,
  options: ShutdownOptions = {},
): () => void {
  const proc: ShutdownProcess = options.proc ?? process;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let closing = false;

  const onSignal = (): void => {
    if (closing) {
      app.log.warn('second signal: exiting now');
      proc.exit(1);
      return;
    }
    closing = true;
    app.log.info('shutting down');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs }, 'shutdown timed out: exiting');
      proc.exit(1);
    }, timeoutMs);
    timer.unref();
    // A request in flight when close() began leaves a keep-alive socket behind that close()
    // does not reap (Fastify keeps idle sockets 72 s): reap idle sockets until closed.
    const reaper = setInterval(() => app.server.closeIdleConnections(), REAP_INTERVAL_MS);
    reaper.unref();
    void (async () => {
      try {
        await app.close();
        clearInterval(reaper);
        await onClosed?.();
        clearTimeout(timer);
        proc.exit(0);
      } catch (err) {
        clearInterval(reaper);
        clearTimeout(timer);
        app.log.error({ err }, 'shutdown failed');
        proc.exit(1);
      }
    })();
  };

  for (const signal of SIGNALS) proc.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) proc.removeListener(signal, onSignal);
  };
}
