import type { ComposeOptions } from '../../src/app/compose.js';
import type { Argon2Params } from '../../src/crypto/password-hash.js';

/** Cheap argon2id for tests (hashSecret accepts weak parameters; verify flags them for rehash). */
export const CHEAP_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** What every test world composes with unless it asks otherwise: cheap hashing, a small Paillier key. */
export const CHEAP_COSTS: ComposeOptions = {
  argon2: CHEAP_ARGON2,
  paillierBits: 1024,
  limits: { paillierPool: 16 },
};
