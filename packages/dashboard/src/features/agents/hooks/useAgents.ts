import { useCallback, useEffect, useState } from 'react';
import type { AgentInfo } from '@herald/protocol';
import { useSession } from '../../../realtime/session-context';
import type { AsyncState } from '../../../realtime/hooks';

/** The agents the server offers (`agents.list` over the socket). */
export function useAgents(): AsyncState<AgentInfo[]> & { retry: () => void } {
  const session = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<AsyncState<AgentInfo[]>>({ isLoading: true });
  useEffect(() => {
    let isCurrent = true;
    setState((s) => ({ ...s, isLoading: true }));
    session.client.agents.list().then(
      (data) => isCurrent && setState({ data, isLoading: false }),
      (error: Error) => isCurrent && setState({ error, isLoading: false }),
    );
    return () => {
      isCurrent = false;
    };
  }, [session, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
