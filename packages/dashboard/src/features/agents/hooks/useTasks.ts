import { useCallback, useEffect, useState } from 'react';
import type { AgentTask } from '@herald/protocol';
import { apiGet } from '../../../lib/api';
import { useSession } from '../../../realtime/session-context';

/** How often the task list is refreshed while the page is open, ms. */
const POLL_MS = 2_000;

/** Recent agent tasks (`GET /api/tasks`), refreshed on an interval and on demand. */
export function useTasks(): { tasks: AgentTask[]; error?: string; refresh: () => void } {
  const session = useSession();
  const [tasks, setTasks] = useState<AgentTask[]>([]);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      apiGet<{ tasks: AgentTask[] }>(session.token, '/api/tasks', { limit: 20 }).then(
        (body) => {
          if (!isCurrent) return;
          setTasks(body.tasks);
          setError(undefined);
        },
        (err: Error) => isCurrent && setError(err.message),
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
  }, [session, tick]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return { tasks, error, refresh };
}
