import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { LiveSession } from './live-session';

const SessionContext = createContext<LiveSession | undefined>(undefined);

/** Opens the page's one Herald connection for `token` and closes it on unmount or token change. */
export function SessionProvider({ token, children }: { token: string; children: ReactNode }) {
  const [session, setSession] = useState<LiveSession>();
  useEffect(() => {
    const created = new LiveSession(token);
    setSession(created);
    return () => created.close();
  }, [token]);
  if (!session || session.token !== token) return null;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): LiveSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
