import { useEffect, useState } from 'react';
import { forgetToken, saveToken, takeToken } from '../lib/token';
import { ApiError } from '../lib/api';
import { SessionProvider } from '../realtime/session-context';
import { useConnection, useMetadata } from '../realtime/hooks';
import { Dashboard } from './Dashboard';
import { TokenGate } from './TokenGate';

export function Root() {
  const [token, setToken] = useState(takeToken);
  const useToken = (next: string) => {
    saveToken(next);
    setToken(next);
  };
  if (!token) return <TokenGate reason="missing" onToken={useToken} />;
  return (
    <SessionProvider token={token}>
      <AuthGuard onToken={useToken} onRejected={forgetToken} />
    </SessionProvider>
  );
}

/** Switches to the token screen when the socket or the API refuses the token. */
function AuthGuard({ onToken, onRejected }: { onToken: (token: string) => void; onRejected: () => void }) {
  const info = useConnection();
  const metadata = useMetadata();
  // 401 only: a 403 is a token that works but may not do this one thing, which the view itself explains.
  const apiRefused = metadata.error instanceof ApiError && metadata.error.status === 401;
  const isRejected = info.isAuthFailure || apiRefused;
  useEffect(() => {
    if (isRejected) onRejected();
  }, [isRejected, onRejected]);
  if (isRejected) {
    return <TokenGate reason="rejected" detail={apiRefused ? metadata.error?.message : info.error} onToken={onToken} />;
  }
  return <Dashboard />;
}
