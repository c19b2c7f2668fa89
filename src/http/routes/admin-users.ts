import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { invalidInput } from '../../app/errors.js';
import { errorResponses } from '../api-error-schema.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import type { KeySource } from '../../app/identity/index.js';

/** Largest public key text accepted (an 8192-bit RSA SPKI PEM is under 1.5 KiB). */
const MAX_PEM = 16 * 1024;

const StaffRoleSchema = Type.Union(
  ['admin', 'registrar', 'doctor', 'pharmacist'].map((r) => Type.Literal(r)),
);
const Algorithm = Type.Union([Type.Literal('rsa-pkcs1-sha256'), Type.Literal('ed25519')]);

const KeyView = Type.Object(
  {
    keyId: Type.String(),
    algorithm: Algorithm,
    createdAt: Type.Integer(),
    revokedAt: Type.Union([Type.Integer(), Type.Null()]),
  },
  { additionalProperties: false },
);

const UserView = Type.Object(
  {
    id: Type.String(),
    role: StaffRoleSchema,
    username: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    createdAt: Type.Integer(),
    keys: Type.Array(KeyView),
  },
  { additionalProperties: false, title: 'StaffUser' },
);

const CreateUser = Type.Object(
  {
    role: StaffRoleSchema,
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-z0-9._@-]{3,64}$' }),
    displayName: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    publicKeyPem: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PEM, description: 'SPKI PEM.' })),
    generateKey: Type.Optional(
      Type.Union([Type.Literal('ed25519'), Type.Literal('rsa')], {
        description: 'Make a key pair here instead; the private key is returned once, never stored.',
      }),
    ),
  },
  { additionalProperties: false },
);

const Created = Type.Object(
  {
    user: UserView,
    keyId: Type.String(),
    privateKeyPem: Type.Optional(Type.String({ description: 'PKCS#8 PEM; shown this once only.' })),
  },
  { additionalProperties: false },
);

const UserParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const KeyParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), keyId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const RegisterKey = Type.Object(
  { publicKeyPem: Type.String({ minLength: 1, maxLength: MAX_PEM, description: 'SPKI PEM.' }) },
  { additionalProperties: false },
);
const Registered = Type.Object(
  { keyId: Type.String(), algorithm: Algorithm },
  { additionalProperties: false },
);

/** Exactly one way to get the first key: an uploaded public key, or one made here. */
function keySource(body: Static<typeof CreateUser>): KeySource {
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
  const tags = ['admin'];
  // Anonymous callers get 401 before their body is even validated: they learn nothing here.
  app.addHook('onRequest', async (request) => {
    requireScope(request);
  });

  app.post<{ Body: Static<typeof CreateUser> }>(
    '/api/v1/admin/users',
    {
      schema: {
        tags,
        summary: 'Create a staff account with its first key.',
        body: CreateUser,
        response: { 201: Created, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
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
    },
  );

  app.get(
    '/api/v1/admin/users',
    {
      schema: {
        tags,
        summary: 'Every staff account with its keys.',
        response: {
          200: Type.Object({ users: Type.Array(UserView) }, { additionalProperties: false }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({ users: await ctx.identity.staffAccounts.list(requireScope(request)) }),
  );

  app.post<{ Params: Static<typeof UserParams> }>(
    '/api/v1/admin/users/:id/disable',
    {
      schema: {
        tags,
        summary: 'Disable an account; its sessions end at once.',
        params: UserParams,
        response: { 200: UserView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ctx.identity.staffAccounts.disable(requireScope(request), request.params.id),
  );

  app.post<{ Params: Static<typeof UserParams>; Body: Static<typeof RegisterKey> }>(
    '/api/v1/admin/users/:id/keys',
    {
      schema: {
        tags,
        summary: 'Register another public key (RSA 2048+ or Ed25519, SPKI PEM) for an account.',
        params: UserParams,
        body: RegisterKey,
        response: { 201: Registered, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const registered = await ctx.identity.staffAccounts.registerKey(
        requireScope(request),
        request.params.id,
        request.body.publicKeyPem,
      );
      return reply.code(201).send(registered);
    },
  );

  app.delete<{ Params: Static<typeof KeyParams> }>(
    '/api/v1/admin/users/:id/keys/:keyId',
    {
      schema: {
        tags,
        summary: 'Revoke a key: it no longer signs a login; its record stays.',
        params: KeyParams,
        response: { 204: { type: 'null', description: 'Revoked.' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await ctx.identity.staffAccounts.revokeKey(
        requireScope(request),
        request.params.id,
        request.params.keyId,
      );
      return reply.code(204).send();
    },
  );
}
