import type { AppContext } from '../../app/context.js';
import { invalidInput } from '../../app/errors.js';
import type { KeySource } from '../../app/identity/index.js';
import { adminUserRoutes as CONTRACT, type CreateStaffRequest } from '../../contract/api/admin-users.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/** Exactly one way to get the first key: an uploaded public key, or one made here. */
function keySource(body: CreateStaffRequest): KeySource {
  if ((body.publicKeyPem === undefined) === (body.generateKey === undefined))
    throw invalidInput('Give exactly one of publicKeyPem and generateKey.');
  return body.publicKeyPem !== undefined
    ? { publicKeyPem: body.publicKeyPem }
    : { generate: body.generateKey! };
}

/**
 * Staff account administration under /api/v1/admin/users. Thin: StaffAccounts decides access
 * (`users.manage`) and writes the ledger.
 */
export async function adminUserRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  // Anonymous callers get 401 before their body is even validated: they learn nothing here.
  app.addHook('onRequest', async (request) => {
    requireScope(request);
  });

  contractRoute(app, CONTRACT.createStaffUser, {}, async (request, reply) => {
    const scope = requireScope(request);
    const { role, username, displayName, password } = request.body;
    const created = await ctx.identity.staffAccounts.create(scope, {
      role,
      username,
      displayName,
      password,
      key: keySource(request.body),
    });
    // The private key is in this answer only: it must not linger in any cache.
    void reply.header('cache-control', 'no-store');
    return reply.code(201).send(created);
  });

  contractRoute(app, CONTRACT.listStaffUsers, {}, async (request) => ({
    users: await ctx.identity.staffAccounts.list(requireScope(request)),
  }));

  contractRoute(app, CONTRACT.disableStaffUser, {}, async (request) =>
    ctx.identity.staffAccounts.disable(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.registerStaffKey, {}, async (request, reply) => {
    const registered = await ctx.identity.staffAccounts.registerKey(
      requireScope(request),
      request.params.id,
      request.body.publicKeyPem,
    );
    return reply.code(201).send(registered);
  });

  contractRoute(app, CONTRACT.revokeStaffKey, {}, async (request, reply) => {
    await ctx.identity.staffAccounts.revokeKey(
      requireScope(request),
      request.params.id,
      request.params.keyId,
    );
    return reply.code(204).send();
  });
}
