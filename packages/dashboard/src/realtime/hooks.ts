import { useEffect, useState } from 'react';
import type { RegistryMetadata } from '@herald/protocol';
import { useStore } from './store';
import { useSession } from './session-context';

export const useConnection = () => useStore(useSession().connection);
export const useEventRate = () => useStore(useSession().rate);
export const useFeedSnapshot = () => useStore(useSession().feed);
export const useMetricsHistory = () => useStore(useSession().metrics);
export const useActiveSubscriptions = () => useStore(useSession().subscriptions);

export interface AsyncState<T> {
  data?: T;
  error?: Error;
  isLoading: boolean;
}

/** The event registry (categories, types and their filterable fields). */
export function useMetadata(): AsyncState<RegistryMetadata> & { retry: () => void } {
  const session = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<AsyncState<RegistryMetadata>>({ isLoading: true });
  useEffect(() => {
    let isCurrent = true;
    setState((s) => ({ ...s, isLoading: true }));
    session.metadata().then(
      (data) => isCurrent && setState({ data, isLoading: false }),
      (error: Error) => isCurrent && setState({ error, isLoading: false }),
    );
    return () => {
      isCurrent = false;
    };
  }, [session, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
