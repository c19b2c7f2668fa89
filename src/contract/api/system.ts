import { Type } from '@sinclair/typebox';
import { KEY_SHARE_MAX_LENGTH, KEY_SHARE_PATTERN } from '../vocabulary/key-shares.js';
import { closed } from './common.js';
import { route } from './route.js';

/** Where a sealed server stands: how many valid shares it holds of the threshold it needs. */
export const SealStatus = Type.Object(
  {
    sealed: Type.Boolean(),
    threshold: Type.Integer({ minimum: 2, maximum: 255 }),
    accepted: Type.Integer({ minimum: 0, maximum: 255 }),
  },
  closed,
);

/**
 * Unsealing (anyone, no login: a sealed server has no accounts to log into). The share itself
 * is the credential; each is checked against its stored commitment before it counts.
 */
export const systemRoutes = {
  unseal: route({
    method: 'POST',
    path: '/api/v1/system/unseal',
    tags: ['system'],
    summary: 'Give one officer key share to a sealed server.',
    description:
      'A server whose master key is split between officers starts sealed and answers only this and the health checks (every other route answers 503 `sealed`) until the threshold of valid shares has arrived. A share that does not match its commitment is refused (422 `share_refused`, naming the share). Rate-limited per address; every attempt is ledgered once unsealed. An unsealed server answers 409 `not_sealed`.',
    body: Type.Object(
      { share: Type.String({ pattern: KEY_SHARE_PATTERN, maxLength: KEY_SHARE_MAX_LENGTH }) },
      closed,
    ),
    ok: { 200: SealStatus },
    errors: [409, 422, 429],
  }),
} as const;
