import { useState } from 'react';
import type { WebhookInfo } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { useDeliveries, useWebhooks } from '../hooks/useWebhooks';
import { DeliveryLog } from './DeliveryLog';
import { WebhookForm } from './WebhookForm';

/** Webhooks (admin): the list, a new one, and the chosen one's delivery log. */
export function WebhooksView() {
  const webhooks = useWebhooks();
  const [chosen, setChosen] = useState<string>();
  const [secret, setSecret] = useState<{ id: string; secret: string }>();
  const list = webhooks.data ?? [];
  const current = list.find((w) => w.id === chosen) ?? list[0];

  return (
    <div className="view">
      <Panel title={`Webhooks (${list.length})`}>
        {webhooks.error && !webhooks.data ? (
          <ErrorState title="Could not load the webhooks">
            <p>{webhooks.error.message}</p>
          </ErrorState>
        ) : list.length === 0 ? (
          <EmptyState title="No webhooks yet" icon="plug">
            <p>A webhook POSTs every matching event to a URL, in order, signed, retried. Create one below.</p>
          </EmptyState>
        ) : (
          <WebhookTable
            rows={list}
            currentId={current?.id}
            onChoose={setChosen}
            onPause={(id) => void webhooks.pause(id)}
            onResume={(id) => void webhooks.resume(id)}
            onRemove={(id) => void webhooks.remove(id)}
          />
        )}
        {secret && (
          <p className="banner" role="status" data-testid="webhook-secret">
            Secret of {secret.id}, shown only now: <code>{secret.secret}</code>
          </p>
        )}
      </Panel>
      {current && <Deliveries webhook={current} />}
      <Panel title="New webhook">
        <WebhookForm
          onCreate={async (input) => {
            const created = await webhooks.create(input);
            setSecret({ id: created.id, secret: created.secret });
            setChosen(created.id);
          }}
        />
      </Panel>
    </div>
  );
}

function Deliveries({ webhook }: { webhook: WebhookInfo }) {
  const log = useDeliveries(webhook.id);
  const dead = (log.data ?? []).filter((d) => d.status === 'dead').length;
  return (
    <Panel title={`Deliveries of ${webhook.description || webhook.id}${dead > 0 ? ` (${dead} dead)` : ''}`}>
      {log.error && !log.data ? <p role="alert">{log.error.message}</p> : <DeliveryLog rows={log.data ?? []} onRedeliver={log.redeliver} />}
    </Panel>
  );
}

function WebhookTable(props: {
  rows: readonly WebhookInfo[];
  currentId: string | undefined;
  onChoose(id: string): void;
  onPause(id: string): void;
  onResume(id: string): void;
  onRemove(id: string): void;
}) {
  return (
    <div className="table-wrap">
      <table aria-label="Webhooks" data-testid="webhook-list">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">events</th>
            <th scope="col">status</th>
            <th scope="col">cursor</th>
            <th scope="col">
              <span className="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((w) => (
            <tr key={w.id} aria-selected={w.id === props.currentId} data-testid={`webhook-${w.id}`} data-status={w.status}>
              <td>
                <button type="button" className="link-button" onClick={() => props.onChoose(w.id)} title={w.id}>
                  {w.url}
                </button>
              </td>
              <td>
                <code>{w.event_types.join(', ')}</code>
                {w.filters && Object.keys(w.filters).length > 0 ? ' (filtered)' : ''}
              </td>
              <td title={w.status_reason}>{w.status}</td>
              <td>{w.cursor}</td>
              <td>
                {w.status === 'active' ? (
                  <Button size="sm" icon="pause" onClick={() => props.onPause(w.id)} data-testid={`pause-${w.id}`}>
                    Pause
                  </Button>
                ) : (
                  <Button size="sm" icon="play" onClick={() => props.onResume(w.id)} data-testid={`resume-${w.id}`}>
                    Resume
                  </Button>
                )}
                {w.origin === 'api' && (
                  <Button size="sm" variant="ghost" icon="trash" aria-label={`Delete ${w.url}`} onClick={() => props.onRemove(w.id)} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
