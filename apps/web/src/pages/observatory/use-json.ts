import { useEffect, useState } from 'react';
import { ApiError, getJson } from '../../api.ts';

export interface JsonState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Fetches an API path (null: nothing to fetch) and keeps the last answer while the next one loads,
 * so the page does not jump; a newer path aborts the older request.
 */
export function useJson<T>(path: string | null): JsonState<T> {
  const [state, setState] = useState<JsonState<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    getJson<T>(path, controller.signal)
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((e: Error) => {
        if (e.name === 'AbortError') return;
        setState({
          data: null,
          error: e instanceof ApiError ? e.message : `erreur réseau : ${e.message}`,
          loading: false,
        });
      });
    return () => controller.abort();
  }, [path]);
  return state;
}
