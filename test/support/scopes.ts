import { AccessScope } from '../../src/app/access/index.js';
import type { Actor } from '../../src/app/actor.js';

/**
 * The access scope `caller` acts in, deciding as of `clock()` each time (a test's clock that it
 * moves by hand, or the wall clock): what the HTTP auth hook builds per request, for tests that
 * call services directly.
 */
export const scopeOf = (caller: Actor, clock: () => number = Date.now): AccessScope =>
  AccessScope.following(caller, clock);
