import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../messages.js';
import { listPatients, type PatientSummary } from '../../api/patients.js';

export interface PatientList {
  readonly patients: readonly PatientSummary[];
  readonly loading: boolean;
  readonly error: string | undefined;
  /** True when the server has another page. */
  readonly hasMore: boolean;
  readonly loadMore: () => void;
  readonly retry: () => void;
}

/** The registrar's patient list, one page at a time ("Load more"). */
export function usePatientList(): PatientList {
  const [patients, setPatients] = useState<readonly PatientSummary[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const alive = useRef(true);

  const load = useCallback(async (cursor: string | undefined): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await listPatients(cursor);
      if (!alive.current) return;
      setPatients((before) => {
        const seen = new Set(before.map((p) => p.id));
        return [...before, ...page.patients.filter((p) => !seen.has(p.id))];
      });
      setNext(page.nextCursor ?? undefined);
    } catch (caught) {
      if (alive.current) setError(describeError(caught));
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    setPatients([]);
    void load(undefined);
    return () => {
      alive.current = false;
    };
  }, [load]);

  return {
    patients,
    loading,
    error,
    hasMore: next !== undefined,
    loadMore: () => void load(next),
    retry: () => void load(next),
  };
}
