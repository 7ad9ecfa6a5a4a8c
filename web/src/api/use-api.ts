import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import type { ApiError } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again (after an edit, or on a timer for live views). */
  reload: () => void;
}

/**
 * Runs `load` with the session's client now and whenever `deps` change;
 * a newer load wins over an older one still in flight.
 */
export function useApi<T>(load: (api: ReturnType<typeof useSession>['api']) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load(api).then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: ApiError) => run === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
