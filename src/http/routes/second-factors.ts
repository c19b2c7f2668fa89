import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { secondFactorRoutes as CONTRACT } from '../../contract/api/second-factors.js';
import type { App } from '../app-type.js';
import { requireScope, setSessionCookie } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { authRateLimit, credentialRateLimit } from '../rate-limit.js';

/**
 * The caller's own second factors (/auth/factors…, any signed-in role) and the second step of a
 * sign-in (/auth/second-factor…, which take the login's pending token, not a session). Thin: the
 * schemas bound the input, the services decide; completing a sign-in sets the session cookie.
 */
export async function secondFactorRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const secure = ctx.config.tls !== undefined;
  const factors = ctx.identity.secondFactors;
  const login = ctx.identity.secondFactorLogin;
  // The WebAuthn origin and RP ID: the public address when configured, else this request's own.
  const origin = (request: FastifyRequest): string =>
    ctx.config.publicOrigin ?? `${request.protocol}://${request.host}`;
  // Codes and assertions are credentials: the per-address credential budget; options are not.
  const credential = { config: credentialRateLimit(ctx.config) };
  const options = { config: authRateLimit(ctx.config) };

  contractRoute(app, CONTRACT.listFactors, {}, async (request) => factors.list(requireScope(request)));

  contractRoute(app, CONTRACT.beginTotp, {}, async (request, reply) =>
    reply.code(201).send(await factors.beginTotp(requireScope(request), request.body.label)),
  );

  contractRoute(app, CONTRACT.confirmTotp, {}, async (request) =>
    factors.confirmTotp(requireScope(request), request.params.id, request.body.code),
  );

  contractRoute(app, CONTRACT.passkeyRegistrationOptions, {}, async (request) => ({
    options: await factors.passkeyOptions(requireScope(request), origin(request)),
  }));

  contractRoute(app, CONTRACT.registerPasskey, {}, async (request, reply) =>
    reply
      .code(201)
      .send(
        await factors.registerPasskey(
          requireScope(request),
          origin(request),
          request.body.response,
          request.body.label,
        ),
      ),
  );

  contractRoute(app, CONTRACT.removeFactor, {}, async (request, reply) => {
    await factors.remove(requireScope(request), request.params.id);
    return reply.code(204).send();
  });

  contractRoute(app, CONTRACT.secondFactorTotp, credential, async (request, reply) => {
    const { token, expiresAt, user } = await login.totp(request.body.pendingToken, request.body.code);
    setSessionCookie(reply, token, expiresAt, secure);
    return { token, user };
  });

  contractRoute(app, CONTRACT.secondFactorPasskeyOptions, options, async (request) => ({
    options: await login.passkeyOptions(request.body.pendingToken, origin(request)),
  }));

  contractRoute(app, CONTRACT.secondFactorPasskey, credential, async (request, reply) => {
    const { token, expiresAt, user } = await login.passkey(
      request.body.pendingToken,
      origin(request),
      request.body.response,
    );
    setSessionCookie(reply, token, expiresAt, secure);
    return { token, user };
  });

  contractRoute(app, CONTRACT.enrolTotp, options, async (request, reply) =>
    reply.code(201).send(await login.enrolTotp(request.body.pendingToken)),
  );

  contractRoute(app, CONTRACT.enrolTotpConfirm, credential, async (request, reply) => {
    const { pendingToken, factorId, code } = request.body;
    const { token, expiresAt, user } = await login.confirmEnrolTotp(pendingToken, factorId, code);
    setSessionCookie(reply, token, expiresAt, secure);
    return { token, user };
  });

  contractRoute(app, CONTRACT.enrolPasskeyOptions, options, async (request) => ({
    options: await login.enrolPasskeyOptions(request.body.pendingToken, origin(request)),
  }));

  contractRoute(app, CONTRACT.enrolPasskey, credential, async (request, reply) => {
    const { token, expiresAt, user } = await login.enrolPasskey(
      request.body.pendingToken,
      origin(request),
      request.body.response,
    );
    setSessionCookie(reply, token, expiresAt, secure);
    return { token, user };
  });
}
