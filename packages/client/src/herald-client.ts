import type { ConnectedMessage, HeraldEvent, HistoryPage, RegistryMetadata, ServerMessage, SubscriptionInfo } from '@herald/protocol';
import type { ClientEvents, ConnectionState, StatusChange } from './client-events.js';
import { resolveClientOptions, type HeraldClientOptions, type ResolvedClientOptions } from './client-options.js';
import { ClientSession } from './client-session.js';
import { HeraldConnectionError, HeraldError } from './errors.js';
import { createEventId } from './event-id.js';
import { PublishQueue, type OutgoingEvent, type PublishEvent, type PublishResult } from './publish-queue.js';
import type { ContextSwitchResult, HistoryRequest, PingResult } from './request-types.js';
import type { OutgoingFrame } from './request-tracker.js';
import { CallStream, type CallOptions } from './call-stream.js';
import { McpClient } from './mcp-client.js';
import { AgentsApi } from './agents-api.js';
import { KvApi } from './kv-api.js';
import { emits, withCorrelation, type CorrelatedPublisher, type EmitsOptions, type Publisher } from './service-helpers.js';
import type { Subscription, SubscribeOptions } from './subscription.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { TypedEmitter } from './typed-emitter.js';

/**
 * A Herald connection that survives drops. It reconnects with backoff as the
 * close code allows, resubscribes every subscription from the last seq it
 * delivered, and resends unacknowledged publishes under their original ids,
 * so an application sees each matching event once and in order and each
 * publish is stored once.
 *
 * @example
 * ```ts
 * const client = new HeraldClient({ url: 'wss://herald.example.com/ws', getToken: () => auth.freshToken() });
 * client.on('status', (s) => console.log('herald', s.state));
 * await client.ready();
 * const { seqs } = await client.publish({ type: 'deploy.started', data: { service: 'api' } });
 * for await (const event of client.subscribe({ types: ['deploy.*'] })) console.log(event.seq, event.type);
 * ```
 */
export class HeraldClient extends TypedEmitter<ClientEvents> implements Publisher {
  readonly #options: ResolvedClientOptions;
  readonly #session: ClientSession;
  readonly #publishes: PublishQueue;
  readonly #subscriptions: SubscriptionRegistry;
  /** The org of the last successful contextSwitch, re-applied on every new connection. */
  #contextOrg: string | undefined;
  /** Typed helpers over the `mcp.*` tools: `client.mcp.listServers()`, `client.mcp.callTool(server, name, args)`. */
  readonly mcp: McpClient = new McpClient(this);
  /** Agents: list them, send a message and stream the reply. */
  readonly agents: AgentsApi = new AgentsApi(this);
  /** The org's key-value store. */
  readonly kv: KvApi = new KvApi(this);

  /** Validates the options (a TypeError names every bad one) and, unless `autoConnect: false`, starts connecting. */
  constructor(options: HeraldClientOptions) {
    super();
    this.#options = resolveClientOptions(options);
    this.#publishes = new PublishQueue({ maxEvents: this.#options.maxPendingPublishEvents });
    this.#session = new ClientSession(this.#options, this, {
      onOpen: () => this.#handleOpen(),
      onFrame: (message) => this.#subscriptions.handleFrame(message),
      onClosed: (error, isByUser) => {
        this.#publishes.failAll(error);
        this.#subscriptions.endAll(isByUser ? undefined : error);
      },
    });
    this.#subscriptions = new SubscriptionRegistry(this.#session, this, this.#options.subscriptionBufferSize);
    if (this.#options.autoConnect) this.#session.start();
  }

  /** The current connection state; `closed` also before the first connect when `autoConnect` is false. */
  get state(): ConnectionState {
    return this.#session.state;
  }

  /** The server's welcome on the current connection, if one is open. */
  get welcome(): ConnectedMessage | undefined {
    return this.#session.welcome;
  }

  /** Starts connecting if not yet started; resolves like {@link ready}. */
  connect(): Promise<void> {
    return this.#session.ready();
  }

  /**
   * Resolves once the connection is open (at once if it is); rejects when the
   * client closes for good first. Starts connecting when `autoConnect` was false.
   */
  ready(): Promise<void> {
    return this.#session.ready();
  }

  /**
   * Status changes as an async iterator that ends when the client closes. It
   * holds at most 64 changes for a reader that lags, dropping the oldest.
   *
   * @example
   * ```ts
   * for await (const s of client.status()) if (s.state === 'reconnecting') console.log('retry in', s.delayMs);
   * ```
   */
  status(): AsyncIterableIterator<StatusChange> {
    return this.#session.status();
  }

  /**
   * Subscribes to events. Returns at once; the subscription is (re)sent on
   * every connection. Await `sub.ready()` to learn that the server accepted it.
   *
   * @example
   * ```ts
   * const sub = client.subscribe({ types: ['agent.*'], filters: { severity: ['error'] }, since: 1200 });
   * sub.on('event', (event, { isReplay }) => render(event, isReplay));
   * await sub.ready();
   * ```
   */
  subscribe(options: SubscribeOptions): Subscription {
    if (this.#session.closedError) throw this.#session.closedError;
    this.#session.start();
    return this.#subscriptions.add(options);
  }

  /**
   * Publishes one event or a batch. Resolves when the server has stored them
   * (`published`); ids are assigned here when absent, so the resend after a
   * lost connection is recognised and never stored twice. While disconnected
   * the events wait, up to `maxPendingPublishEvents`; past that it rejects
   * with a `HeraldQueueFullError` (`publish_queue_full`).
   *
   * @example
   * ```ts
   * const { ids, seqs } = await client.publish([
   *   { type: 'build.started', data: { sha: 'a1b2' } },
   *   { type: 'build.log', severity: 'debug', data: { line: 'npm ci' } },
   * ]);
   * ```
   */
  async publish(events: PublishEvent | PublishEvent[]): Promise<PublishResult> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) throw new TypeError('publish: give at least one event');
    if (this.#session.closedError) throw this.#session.closedError;
    this.#session.start();
    const outgoing: OutgoingEvent[] = list.map((event) => ({
      ...(this.#options.source !== undefined ? { source: this.#options.source } : {}),
      ...event,
      id: event.id ?? createEventId(),
    }));
    const result = this.#publishes.add(outgoing);
    this.#flushPublishes();
    return result;
  }

  /**
   * One page of stored events, newest first.
   *
   * @example
   * ```ts
   * let page = await client.history({ types: ['mcp.*'], severity: ['error'], limit: 50 });
   * while (page.next_cursor) page = await client.history({ types: ['mcp.*'], cursor: page.next_cursor });
   * ```
   */
  async history(query: HistoryRequest = {}): Promise<HistoryPage<HeraldEvent>> {
    const reply = expectReply(await this.#session.request({ action: 'history', query }), 'history');
    return { events: reply.events, next_cursor: reply.next_cursor };
  }

  /** The event registry: categories, types and the filters each offers. */
  async metadata(): Promise<RegistryMetadata> {
    return expectReply(await this.#session.request({ action: 'get_metadata' }), 'metadata').data;
  }

  /** The server's list of this connection's subscriptions. */
  async listSubscriptions(): Promise<SubscriptionInfo[]> {
    return expectReply(await this.#session.request({ action: 'list_subscriptions' }), 'subscriptions').subscriptions;
  }

  /** Measures a round trip. */
  async ping(): Promise<PingResult> {
    const startedAt = Date.now();
    const reply = expectReply(await this.#session.request({ action: 'ping', timestamp: startedAt }), 'pong');
    return { rttMs: Date.now() - startedAt, serverTime: reply.server_time };
  }

  /**
   * Switches to another org the token allows; the subscriptions then see
   * that org's events. The switch is sent again first thing on every
   * reconnect, so it outlives connection drops.
   */
  /**
   * Calls a tool and resolves to its answer; chunks of a streaming tool are
   * skipped (use {@link stream} to read them). Rejects with a
   * `HeraldRequestError` whose `code` is the server's (`forbidden`,
   * `unknown_tool`, `call_timeout`, `upstream_error`, …).
   *
   * @example
   * ```ts
   * const tools = await client.call('mcp.list_tools', { server: 'everything' });
   * await client.call('kv.set', { key: 'greeting', value: 'hello', ttl_s: 60 });
   * ```
   */
  async call<T = unknown>(tool: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<T> {
    return this.stream<T>(tool, params, options).result;
  }

  /** Calls a tool and streams its answer: iterate the chunks, await `result` for the final value. */
  stream<T = unknown>(tool: string, params: Record<string, unknown> = {}, options: CallOptions = {}): CallStream<T> {
    return new CallStream<T>((onChunk) => this.#session.request({ action: 'call', tool, params }, { ...options, onChunk }));
  }

  /**
   * Sends an action the server routes to a backend, agent or tool (such as
   * `sendMessage`) and streams its answer; the message's fields go as they are.
   *
   * @example
   * ```ts
   * const reply = client.action('sendMessage', { message: 'What sold best this month?' });
   * for await (const chunk of reply) process.stdout.write(String(chunk.content));
   * ```
   */
  action<T = unknown>(name: string, message: Record<string, unknown> = {}, options: CallOptions = {}): CallStream<T> {
    return new CallStream<T>((onChunk) => this.#session.request({ ...message, action: name }, { ...options, onChunk }));
  }

  async contextSwitch(org: string): Promise<ContextSwitchResult> {
    const { from, to, context_type } = expectReply(await this.#session.request({ action: 'context_switch', org }), 'context_switched');
    this.#contextOrg = to;
    return { from, to, context_type };
  }

  /**
   * A publisher that stamps `correlation_id` on every event.
   *
   * @example
   * ```ts
   * const trace = client.withCorrelation(request.headers['x-correlation-id']);
   * await trace.publish({ type: 'payment.authorized', data: { amount: 12 } });
   * ```
   */
  withCorrelation(correlationId: string): CorrelatedPublisher {
    return withCorrelation(this, correlationId);
  }

  /**
   * Wraps an async function to publish `<type>.started`, `.completed`
   * (`duration_ms`) and `.failed` (`error`). See {@link emits}.
   *
   * @example
   * ```ts
   * const summarize = client.emits('agent.summarize', async (text: string) => llm.summarize(text));
   * ```
   */
  emits<A extends unknown[], R>(type: string, fn: (...args: A) => Promise<R>, options?: EmitsOptions<A>): (...args: A) => Promise<R> {
    return emits(this, type, fn, options);
  }

  /** Drops the current socket and reconnects, resuming every subscription (after a network change, say). */
  reconnect(): void {
    this.#session.reconnect();
  }

  /**
   * Closes for good: pending requests and publishes reject with
   * `connection_closed`, subscription iterators finish.
   */
  close(): void {
    this.#session.close(new HeraldConnectionError('connection_closed', 'the client was closed'), true);
  }

  #handleOpen(): void {
    // First, so the server handles the resubscriptions and publishes that follow in the switched org.
    if (this.#contextOrg !== undefined) {
      this.#session.sendNow({ action: 'context_switch', org: this.#contextOrg })?.reply.catch((err: unknown) => {
        if (!(err instanceof HeraldConnectionError)) this.emit('error', err as Error);
      });
    }
    this.#subscriptions.resubscribeAll(this.#session.welcome?.seq ?? 0);
    this.#flushPublishes();
  }

  #flushPublishes(): void {
    if (!this.#session.welcome) return;
    for (const entry of this.#publishes.takeUnsent()) {
      const [first, ...rest] = entry.events;
      const frame: OutgoingFrame = rest.length === 0 ? { action: 'publish', event: first } : { action: 'publish', events: entry.events };
      const sent = this.#session.sendNow(frame);
      if (!sent) {
        this.#publishes.requeue(entry);
        continue;
      }
      sent.reply.then(
        (message) => {
          try {
            const { ids, seqs, duplicates } = expectReply(message, 'published');
            this.#publishes.succeed(entry, duplicates ? { ids, seqs, duplicates } : { ids, seqs });
          } catch (err) {
            this.#publishes.fail(entry, err);
          }
        },
        (err: unknown) => {
          if (err instanceof HeraldConnectionError && err.code === 'connection_lost') {
            this.#publishes.requeue(entry);
            this.#flushPublishes();
          } else {
            this.#publishes.fail(entry, err);
          }
        },
      );
    }
  }
}

function expectReply<K extends ServerMessage['type']>(reply: ServerMessage, type: K): Extract<ServerMessage, { type: K }> {
  if (reply.type !== type) throw new HeraldError('unexpected_reply', `expected a "${type}" reply, got "${reply.type}"`);
  return reply as Extract<ServerMessage, { type: K }>;
}
