import { useConnection } from '../../realtime/hooks';

const LABELS = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Disconnected' } as const;

/** The socket's state; announced politely when it changes. */
export function ConnectionStatus() {
  const info = useConnection();
  const detail = info.state === 'reconnecting' && info.attempt !== undefined ? ` (try ${info.attempt + 1})` : '';
  return (
    <span
      className="status"
      data-state={info.state}
      role="status"
      aria-live="polite"
      title={info.error ?? LABELS[info.state]}
      data-testid="connection-status"
    >
      <span className="status-dot" aria-hidden="true" />
      {LABELS[info.state]}
      {detail}
    </span>
  );
}
