import type { SealStatus } from '../../app/custody/index.js';
import type { Config } from '../../config/config.js';
import { systemRoutes as CONTRACT } from '../../contract/api/system.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';
import { unsealRateLimit } from '../rate-limit.js';

export interface UnsealDeps {
  readonly config: Pick<Config, 'unsealRateLimitPerMinute'>;
  /** Takes one share from the client at `source`; throws not_sealed on an unsealed server. */
  readonly submit: (share: string, source: string) => Promise<SealStatus>;
}

/** POST /api/v1/system/unseal: one officer's key share (rate-limited per address). */
export async function unsealRoutes(app: App, deps: UnsealDeps): Promise<void> {
  contractRoute(app, CONTRACT.unseal, { config: unsealRateLimit(deps.config) }, async (request) =>
    deps.submit(request.body.share, request.ip),
  );
}
