import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from '../../store/database.js';
import type { AuditEvent } from './entry.js';

/**
 * The ledger actions that record a create a client may retry with an `Idempotency-Key`. Each is
 * appended in the transaction that makes the thing, so that transaction is where the key is
 * marked as used (src/app/idempotency).
 */
const CREATE_ACTIONS: ReadonlySet<string> = new Set([
  'patient.register',
  'record.create',
  'attachment.create',
  'grant.create',
  'prescription.sign',
]);

/** Runs once, inside the transaction of the first successful create appended in its context. */
export interface CreateHook {
  fired: boolean;
  run(tx: Tx): Promise<void>;
}

const hooks = new AsyncLocalStorage<CreateHook>();

/** Runs `fn` with `hook` armed for its first successful create. */
export function withCreateHook<T>(hook: CreateHook, fn: () => Promise<T>): Promise<T> {
  return hooks.run(hook, fn);
}

/** Called by the ledger before it appends `events` in `tx`: fires the armed hook on a create. */
export async function fireCreateHook(tx: Tx, events: readonly AuditEvent[]): Promise<void> {
  const hook = hooks.getStore();
  if (hook === undefined || hook.fired) return;
  if (!events.some((e) => e.outcome === 'success' && CREATE_ACTIONS.has(e.action))) return;
  hook.fired = true;
  await hook.run(tx);
}
