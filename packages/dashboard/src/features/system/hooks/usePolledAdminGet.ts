import { useEffect, useState } from 'react';
import { apiGet } from '../../../lib/api';
import { useSession } from '../../../realtime/session-context';

/** How often the System page's admin lists refresh, ms. */
const POLL_MS = 5_000;

/**
 * Polls an admin `GET` route and shapes its body with `read`. Undefined
 * while the server has no such route or refuses it, so the view leaves that
 * panel out.
 */
export function usePolledAdminGet<T>(path: string, read: (body: unknown) => T | undefined): T | undefined {
  const session = useSession();
  const [state, setState] = useState<T>();
  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      apiGet<unknown>(session.token, path).then(
        (body) => isCurrent && setState(read(body)),
        () => isCurrent && setState(undefined),
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
    // `read` is a module-level function in every caller: the path and the session decide.
  }, [session, path]);
  return state;
}
