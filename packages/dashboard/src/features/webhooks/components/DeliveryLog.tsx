import { useState } from 'react';
import type { WebhookDelivery } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { formatTime } from '../../../lib/format';

const STATUS_LABEL: Record<WebhookDelivery['status'], string> = {
  pending: 'retrying',
  delivered: 'delivered',
  dead: 'dead letter',
  failed: '410 Gone',
};

/** The delivery log of one webhook: status, attempts, answer and latency per event; dead letters can be sent again. */
export function DeliveryLog({ rows, onRedeliver }: { rows: readonly WebhookDelivery[]; onRedeliver: (seq: number) => Promise<unknown> }) {
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<string>();
  if (rows.length === 0) return <p>No deliveries yet: matching events appear here as they are sent.</p>;
  return (
    <div className="table-wrap">
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <table aria-label="Deliveries" data-testid="delivery-log">
        <thead>
          <tr>
            <th scope="col">seq</th>
            <th scope="col">type</th>
            <th scope="col">status</th>
            <th scope="col">attempts</th>
            <th scope="col">answer</th>
            <th scope="col">latency</th>
            <th scope="col">last attempt</th>
            <th scope="col">
              <span className="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.event_seq} data-testid={`delivery-${d.event_seq}`} data-status={d.status}>
              <td>{d.event_seq}</td>
              <td>
                <code>{d.event_type}</code>
              </td>
              <td>
                <span className={`chip delivery-${d.status}`}>{STATUS_LABEL[d.status]}</span>
              </td>
              <td>{d.attempts}</td>
              <td title={d.error ?? undefined}>{d.response_code ?? (d.error ? 'no answer' : '—')}</td>
              <td>{d.latency_ms === null ? '—' : `${d.latency_ms} ms`}</td>
              <td>{formatTime(d.updated_at)}</td>
              <td>
                {d.status !== 'pending' && (
                  <Button
                    size="sm"
                    icon="refresh"
                    disabled={busy === d.event_seq}
                    data-testid={`redeliver-${d.event_seq}`}
                    onClick={() => {
                      setBusy(d.event_seq);
                      setError(undefined);
                      onRedeliver(d.event_seq)
                        .catch((err: Error) => setError(err.message))
                        .finally(() => setBusy(undefined));
                    }}
                  >
                    Redeliver
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
