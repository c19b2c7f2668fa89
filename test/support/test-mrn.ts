import { randomInt } from 'node:crypto';
import { mrnOf } from '../../src/contract/vocabulary/mrn.js';

/**
 * A fresh MRN for a patient row a test inserts directly (registration proper retries on a
 * collision; these inserts do not). Consecutive from a random start per process: a thousand
 * random MRNs of 9 million collide about one run in twenty (it failed CI's full run once).
 */
let next = randomInt(1_000_000, 9_000_000);
export function nextTestMrn(): string {
  return mrnOf(String(next++));
}
