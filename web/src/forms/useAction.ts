import { useRef, useState } from 'react';
import { confirmIdentity } from '../identity-guard.js';
import { describeError } from '../messages.js';

export interface Action<K extends string> {
  /** Which run is under way (the name given to run), or undefined. */
  readonly running: K | undefined;
  /** Why the last run failed, for a FormAlert; cleared when the next starts. */
  readonly error: string | undefined;
  /**
   * Runs `task` unless a run is under way; a throw becomes `error`. Resolves to whether it
   * succeeded.
   */
  readonly run: (which: K, task: () => Promise<void>) => Promise<boolean>;
  /** Hides the last failure (when something else succeeded since). */
  readonly clearError: () => void;
}

/**
 * A button's request (dispense, revoke, remove, log out): the same busy flag and error message a
 * form has (./useForm.ts), for actions without fields. `which` tells apart the buttons of a list,
 * so only the pressed one says it is working.
 */
export function useAction<K extends string = 'run'>(): Action<K> {
  const [running, setRunning] = useState<K>();
  const [error, setError] = useState<string>();
  const inFlight = useRef(false);

  async function run(which: K, task: () => Promise<void>): Promise<boolean> {
    if (inFlight.current) return false;
    inFlight.current = true;
    setRunning(which);
    setError(undefined);
    try {
      await confirmIdentity(); // the session may have changed in another tab (issue 20)
      await task();
      return true;
    } catch (caught) {
      setError(describeError(caught));
      return false;
    } finally {
      inFlight.current = false;
      setRunning(undefined);
    }
  }

  return { running, error, run, clearError: () => setError(undefined) };
}
