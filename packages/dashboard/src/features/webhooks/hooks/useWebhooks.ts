import { useCallback, useEffect, useState } from 'react';
import type { WebhookDelivery, WebhookInfo, WebhookInput } from '@herald/protocol';
import { apiGet, apiRequest } from '../../../lib/api';
import { useSession } from '../../../realtime/session-context';

const POLL_MS = 2_000;

/** Polls `path` while mounted; `reload` asks again now. */
function usePolled<T>(path: string | undefined, read: (body: unknown) => T) {
  const session = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let isCurrent = true;
    const load = () =>
      apiGet<unknown>(session.token, path).then(
        (body) => {
          if (!isCurrent) return;
          setData(read(body));
          setError(undefined);
        },
        (err: Error) => isCurrent && setError(err),
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
  }, [session, path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

const readWebhooks = (body: unknown) => (body as { webhooks: WebhookInfo[] }).webhooks;
const readDeliveries = (body: unknown) => (body as { deliveries: WebhookDelivery[] }).deliveries;

/** `GET /api/webhooks` (admin), polled, with the actions that change them. */
export function useWebhooks() {
  const session = useSession();
  const list = usePolled('/api/webhooks', readWebhooks);
  const act = useCallback(
    async <T,>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
      const result = await apiRequest<T>(session.token, method, path, body === undefined ? {} : { body });
      list.reload();
      return result;
    },
    [session, list],
  );
  return {
    ...list,
    create: (input: WebhookInput) => act<WebhookInfo & { secret: string }>('POST', '/api/webhooks', input),
    pause: (id: string) => act<WebhookInfo>('POST', `/api/webhooks/${encodeURIComponent(id)}/pause`),
    resume: (id: string) => act<WebhookInfo>('POST', `/api/webhooks/${encodeURIComponent(id)}/resume`),
    remove: (id: string) => act<void>('DELETE', `/api/webhooks/${encodeURIComponent(id)}`),
  };
}

/** One webhook's delivery log, newest event first, polled; `redeliver` sends one event again. */
export function useDeliveries(webhookId: string | undefined) {
  const session = useSession();
  const log = usePolled(webhookId ? `/api/webhooks/${encodeURIComponent(webhookId)}/deliveries` : undefined, readDeliveries);
  const redeliver = async (seq: number) => {
    const result = await apiRequest<WebhookDelivery>(session.token, 'POST', `/api/webhooks/${encodeURIComponent(webhookId!)}/deliveries/${seq}/redeliver`);
    log.reload();
    return result;
  };
  return { ...log, redeliver };
}
