import type { ServerMessage } from '@herald/protocol';
import type { ClientEvents } from './client-events.js';
import type { ClientSession } from './client-session.js';
import { HeraldConnectionError, HeraldError, HeraldRequestError, HeraldTimeoutError } from './errors.js';
import { Subscription, type SubscribeOptions } from './subscription.js';
import type { TypedEmitter } from './typed-emitter.js';

/**
 * A client's subscriptions: creates them, sends them on every connection,
 * routes `event`, `replayed` and `subscribed` frames to them by id, and
 * removes them on unsubscribe or on the server's refusal.
 */
export class SubscriptionRegistry {
  readonly #session: ClientSession;
  readonly #events: TypedEmitter<ClientEvents>;
  readonly #bufferSize: number;
  readonly #subscriptions = new Map<string, Subscription>();
  /** The newest seq seen on any connection: the resume point of a live subscription that has delivered nothing. */
  #seqNow: number | undefined;
  #nextId = 1;

  constructor(session: ClientSession, events: TypedEmitter<ClientEvents>, bufferSize: number) {
    this.#session = session;
    this.#events = events;
    this.#bufferSize = bufferSize;
  }

  add(options: SubscribeOptions): Subscription {
    if (!Array.isArray(options.types) || options.types.length === 0) {
      throw new TypeError('subscribe: types must be a non-empty array of patterns such as ["claude.*"]');
    }
    const id = options.id ?? this.#newId();
    if (this.#subscriptions.has(id)) throw new TypeError(`subscribe: this client already has a subscription "${id}"`);
    const sub = new Subscription({ unsubscribe: (s) => this.#unsubscribe(s) }, id, options, this.#bufferSize);
    this.#subscriptions.set(id, sub);
    this.#send(sub);
    return sub;
  }

  /** A connection opened: send every subscription, each resuming from its last seq. */
  resubscribeAll(seqAtConnect: number): void {
    this.#seqNow = Math.max(this.#seqNow ?? 0, seqAtConnect);
    for (const sub of this.#subscriptions.values()) this.#send(sub);
  }

  handleFrame(message: ServerMessage): void {
    switch (message.type) {
      case 'event':
        this.#seqNow = Math.max(this.#seqNow ?? 0, message.event.seq);
        for (const id of message.subscriptions) this.#subscriptions.get(id)?.handleEvent(message.event, message.replay === true);
        return;
      case 'replayed':
        this.#subscriptions.get(message.subscription_id)?.handleReplayed(message);
        return;
      case 'unsubscribed':
        // Unasked (no id): the server dropped subscriptions a fresh token no longer allows.
        if (message.id === undefined) this.#endRevoked(message.subscription_ids, (message as { reason?: unknown }).reason);
        return;
      case 'subscribed': {
        // Here rather than when the request settles, so the resume baseline is taken before the next frame.
        const seqNow = (message as { seq?: unknown }).seq;
        this.#subscriptions.get(message.subscription_id)?.handleSubscribed(message, typeof seqNow === 'number' ? seqNow : this.#seqNow);
        return;
      }
    }
  }

  /** Ends every subscription: normally (`error` undefined) or with the error that closed the client. */
  endAll(error: Error | undefined): void {
    for (const sub of this.#subscriptions.values()) sub.end(error);
    this.#subscriptions.clear();
  }

  #endRevoked(ids: string[], reason: unknown): void {
    for (const id of ids) {
      const sub = this.#subscriptions.get(id);
      if (!sub) continue;
      this.#subscriptions.delete(id);
      const error = new HeraldError('forbidden', `the server ended subscription ${id}${typeof reason === 'string' ? ` (${reason})` : ''}`, { subscription_id: id });
      sub.end(error);
      this.#events.emit('error', error);
    }
  }

  #send(sub: Subscription): void {
    const sent = this.#session.sendNow(sub.subscribeFrame());
    if (!sent) return;
    sent.reply.catch((err: unknown) => {
      if (err instanceof HeraldRequestError) {
        this.#subscriptions.delete(sub.id);
        sub.end(err);
        this.#events.emit('error', err);
      } else if (err instanceof HeraldTimeoutError) {
        // The server may have registered it late; a fresh connection is the one state both sides agree on.
        this.#session.drop(sent.connection, 4000, 'subscribe timed out');
      }
    });
  }

  async #unsubscribe(sub: Subscription): Promise<void> {
    if (this.#subscriptions.get(sub.id) !== sub) return;
    this.#subscriptions.delete(sub.id);
    if (this.#session.state !== 'open') return;
    try {
      await this.#session.request({ action: 'unsubscribe', subscription_id: sub.id });
    } catch (err) {
      // Gone with the connection, or never registered: either way it no longer exists on the server.
      if (err instanceof HeraldConnectionError || (err instanceof HeraldRequestError && err.code === 'subscription_not_found')) return;
      throw err;
    }
  }

  #newId(): string {
    let id: string;
    do id = `sub_${this.#nextId++}`;
    while (this.#subscriptions.has(id));
    return id;
  }
}
