import { HeraldClient, type StatusChange } from '@herald/client';
import type { ConnectedMessage, RegistryMetadata } from '@herald/protocol';
import { apiGet } from '../lib/api';
import { FeedBuffer } from './feed-buffer';
import { MetricsHistory, isMetricsSnapshot, type MetricsSnapshot } from './metrics-history';
import { RateMeter } from './rate-meter';
import { Store } from './store';
import { SubscriptionSet } from './subscription-set';

export interface ConnectionInfo {
  state: StatusChange['state'];
  /** The server's welcome on the current (or last) connection. */
  welcome?: ConnectedMessage;
  /** The org the connection is switched to, when it differs from the token's. */
  org?: string;
  closeCode?: number;
  /** Why the connection is down, in words. */
  error?: string;
  /** The server refused the token (close code 1008): reconnecting will not help. */
  isAuthFailure: boolean;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
}

/** The WebSocket endpoint of the server that served this page. */
export function socketUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * Everything realtime on the page, around one HeraldClient: the connection
 * state, the reader's subscriptions feeding the live buffer, the events/s
 * meter and the metrics history. Hooks read its stores; nothing else opens a
 * socket.
 */
export class LiveSession {
  readonly client: HeraldClient;
  readonly connection = new Store<ConnectionInfo>({ state: 'connecting', isAuthFailure: false });
  readonly feed = new FeedBuffer();
  readonly rate = new RateMeter();
  readonly metrics = new MetricsHistory();
  readonly subscriptions: SubscriptionSet;
  #metadata: Promise<RegistryMetadata> | undefined;

  constructor(readonly token: string) {
    this.client = new HeraldClient({ url: socketUrl(), token, source: 'dashboard' });
    this.subscriptions = new SubscriptionSet(this.client, (event) => {
      this.rate.record();
      this.feed.add(event);
    });
    this.client.on('status', (change) => this.#onStatus(change));
    // The SDK re-applies an org switch on every new connection, so the chosen org outlives a reconnect.
    this.client.on('connected', (welcome) => this.connection.update((info) => ({ ...info, welcome })));
    this.#start();
  }

  /** The event registry, fetched once per page. */
  metadata(): Promise<RegistryMetadata> {
    this.#metadata ??= apiGet<RegistryMetadata>(this.token, '/api/events/metadata').catch((err: unknown) => {
      this.#metadata = undefined;
      throw err;
    });
    return this.#metadata;
  }

  async switchOrg(org: string): Promise<void> {
    const result = await this.client.contextSwitch(org);
    this.connection.update((info) => ({ ...info, org: result.to }));
  }

  close(): void {
    this.rate.stop();
    this.client.close();
  }

  async #start(): Promise<void> {
    const metricsSub = this.client.subscribe({ id: 'dashboard_metrics', types: ['metrics'], bufferSize: 0 });
    metricsSub.on('event', (event) => {
      if (isMetricsSnapshot(event.data)) this.metrics.add(event.data);
    });
    apiGet<MetricsSnapshot>(this.token, '/api/metrics').then(
      (snapshot) => this.metrics.add(snapshot),
      () => undefined, // the metrics event fills the view soon enough
    );
    try {
      await this.client.ready();
    } catch {
      return; // the status handler has recorded why
    }
    this.subscriptions.restore(this.client.welcome?.seq ?? 0);
  }

  #onStatus(change: StatusChange): void {
    const isAuthFailure = change.closeCode === 1008;
    this.connection.update((info) => ({
      ...info,
      state: change.state,
      closeCode: change.closeCode,
      attempt: change.attempt,
      error: change.state === 'open' ? undefined : describeDrop(change),
      isAuthFailure: change.state === 'open' ? false : isAuthFailure || info.isAuthFailure,
    }));
  }
}

function describeDrop(change: StatusChange): string | undefined {
  if (change.closeCode === 1008) return 'The server refused the token.';
  if (change.closeReason) return change.closeReason;
  return change.error?.message;
}
