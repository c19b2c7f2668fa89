import type { AppContext } from '../../app/context.js';
import { registerAuth } from '../auth.js';
import type { App } from '../app-type.js';

/**
 * Wires the /api/v1 routes to the application. Every route module is a thin adapter: it
 * validates input with its schema, calls one service with `request.actor`, and shapes the
 * answer; the services decide access (src/app/policy.ts).
 */
export async function registerApi(app: App, ctx: AppContext): Promise<void> {
  await registerAuth(app, (token) => ctx.sessions.resolve(ctx.store.db, token));
}
