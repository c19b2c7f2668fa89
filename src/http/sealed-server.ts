import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SealStatus } from '../app/custody/index.js';
import { sealed } from '../app/errors.js';
import type { Config } from '../config/config.js';
import type { App } from './app-type.js';
import { registerRateLimit } from './rate-limit.js';
import { healthRoutes } from './routes/health.js';
import { unsealRoutes } from './routes/unseal.js';
import { buildBase } from './server.js';

export interface SealedServerDeps {
  readonly config: Config;
  /** As {@link ServerDeps.logger}. */
  readonly logger?: boolean | object;
  /** The sealed process: takes shares, says where it stands. */
  readonly vault: {
    status(): SealStatus;
    submit(share: string, source: string): Promise<SealStatus>;
  };
  /** Builds the full server (buildServer) once the vault has opened; called once. */
  readonly buildFull: () => Promise<App>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The server a process with a split master key listens with. While sealed it answers only the
 * health checks (/readyz: 503, not ready) and POST /api/v1/system/unseal; every other path,
 * API or UI, answers 503 `sealed`. When the last share opens the vault it builds the full server
 * (the usual buildServer, never listening itself) and from then on hands every request on the
 * same listening socket to it, so clients and keep-alive connections carry on at the same URL.
 * Requests arriving once shutdown has begun stay here and get the drain guard's 503.
 */
export async function buildSealedServer(deps: SealedServerDeps): Promise<App> {
  const gate = await buildBase(deps);
  let full: App | undefined;
  let opening: Promise<App> | undefined;
  let closing = false;

  const openFull = (): Promise<App> => {
    opening ??= deps.buildFull().then(async (built) => {
      await built.ready();
      full = built;
      return built;
    });
    return opening;
  };

  await gate.register(healthRoutes, {
    checkReady: async () => {
      if (full === undefined) throw sealed();
    },
  });
  await registerRateLimit(gate, deps.config);
  await gate.register(unsealRoutes, {
    config: deps.config,
    submit: async (share, source) => {
      const status = await deps.vault.submit(share, source);
      if (!status.sealed) await openFull();
      return status;
    },
  });
  gate.setNotFoundHandler(async () => {
    throw sealed();
  });
  gate.addHook('preClose', async () => {
    closing = true;
  });
  gate.addHook('onClose', async () => {
    await full?.close();
  });

  // Fastify listens for 'request' on the server it created; put a switch in front of it.
  const server = gate.server;
  const own = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (full !== undefined && !closing) full.server.emit('request', req, res);
    else for (const listener of own) listener.call(server, req, res);
  });
  return gate;
}
