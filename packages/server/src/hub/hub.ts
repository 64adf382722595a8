import type { Filters, HeraldEvent, SubscribeParams, SubscriptionInfo } from '@herald/protocol';
import { can } from '../auth/permissions.js';
import type { LimitsConfig } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { compileFilter, equalityHint, type EqualityHint } from '../matching/compile-filter.js';
import type { EventPredicate, FilterFieldResolver, IndexedSubscription } from '../matching/matching.js';
import { compilePattern, type TypeMatcher } from '../matching/parse-pattern.js';
import { PatternIndex } from '../matching/pattern-index.js';
import type { HubMetrics } from './hub-metrics.js';
import { Replayer } from './replayer.js';
import type { ReplayBuffer } from './replay-buffer.js';
import type { EventStore } from '../store/event-store.js';
import type { Subscriber } from './subscriber.js';
import { OutboundFrame } from '../connection/ws-frame.js';

/** One subscription of one connection. */
export interface Subscription {
  readonly id: string;
  readonly member: HubMember;
  patterns: string[];
  /** Compiled `patterns`, for replay (live delivery goes through the index). */
  matchers: TypeMatcher[];
  readonly filters: Filters;
  readonly predicate: EventPredicate | undefined;
  /** An equality the filters require, for the index's buckets. */
  readonly hint: EqualityHint | undefined;
  /** While true, live events skip this subscription: the replay will cover them. */
  isReplaying: boolean;
}

/** The hub's state for one connection. */
export interface HubMember {
  readonly subscriber: Subscriber;
  readonly subscriptions: Map<string, Subscription>;
  nextSubscriptionNumber: number;
  /** Seq of the event being dispatched when the match fields were last set. */
  markSeq: number;
  /** The first subscription that matched the event being dispatched. */
  firstMatch: string;
  /** All that matched, when more than one did (rare): avoids an array per member per event. */
  allMatches: string[] | undefined;
}

/** Categories only admins see: the audit trail and connection lifecycle carry addresses and user ids. */
export const ADMIN_ONLY_CATEGORY = 'audit';

/** True when the subscriber may see the event: org isolation, the admin-only audit trail, and the connection's correlation id. */
export function isVisibleTo(subscriber: Subscriber, event: HeraldEvent): boolean {
  if (event.org !== undefined && !subscriber.seesAllOrgs && event.org !== subscriber.org) return false;
  if (event.category === ADMIN_ONLY_CATEGORY && !subscriber.isAdmin) return false;
  if (subscriber.correlationId !== undefined && event.correlation_id !== subscriber.correlationId) return false;
  return true;
}

const EVENT_PREFIX = '{"type":"event","subscriptions":';

/**
 * Local fan-out: holds every subscription in a pattern index, and turns each
 * event into one frame per matching connection, listing the subscriptions that
 * matched. The event's JSON is built once; frames with the same subscription
 * list share one buffer.
 */
export class Hub {
  private readonly index = new PatternIndex<Subscription>();
  private readonly members = new Map<string, HubMember>();
  private readonly touched: HubMember[] = [];
  private readonly replayer: Replayer;

  constructor(
    private readonly deps: {
      resolver: FilterFieldResolver;
      limits: LimitsConfig;
      store: EventStore;
      buffer: ReplayBuffer;
      metrics: HubMetrics;
      /** The newest seq assigned so far. */
      headSeq: () => number;
    },
  ) {
    this.replayer = new Replayer({
      store: deps.store,
      buffer: deps.buffer,
      headSeq: deps.headSeq,
      maxQueuedBytes: deps.limits.maxQueuedBytes,
    });
  }

  get connectionCount(): number {
    return this.members.size;
  }

  get subscriptionCount(): number {
    return this.index.size;
  }

  attach(subscriber: Subscriber): void {
    this.members.set(subscriber.id, {
      subscriber,
      subscriptions: new Map(),
      nextSubscriptionNumber: 1,
      markSeq: -1,
      firstMatch: '',
      allMatches: undefined,
    });
  }

  detach(subscriber: Subscriber): void {
    const member = this.members.get(subscriber.id);
    if (!member) return;
    for (const sub of member.subscriptions.values()) this.index.remove(indexKey(member, sub.id));
    this.members.delete(subscriber.id);
  }

  private member(subscriber: Subscriber): HubMember {
    const m = this.members.get(subscriber.id);
    if (!m) throw new HeraldError('internal_error', 'connection is not attached to the hub');
    return m;
  }

  /**
   * Adds a subscription and returns its description; the caller sends
   * `subscribed` and then calls {@link startReplay} when `since` was given, so
   * the reply precedes the replayed events.
   */
  subscribe(subscriber: Subscriber, params: SubscribeParams): Subscription {
    const member = this.member(subscriber);
    const { limits } = this.deps;
    if (member.subscriptions.size >= limits.maxSubscriptionsPerConnection && !member.subscriptions.has(params.subscription_id ?? '')) {
      throw new HeraldError(
        'limit_exceeded',
        `a connection may hold at most ${limits.maxSubscriptionsPerConnection} subscriptions; unsubscribe from one first`,
        {
          limit: 'maxSubscriptionsPerConnection',
          max: limits.maxSubscriptionsPerConnection,
        },
      );
    }
    if (params.event_types.length > limits.maxPatternsPerSubscription) {
      throw new HeraldError('limit_exceeded', `a subscription may name at most ${limits.maxPatternsPerSubscription} patterns`, {
        path: 'event_types',
        limit: 'maxPatternsPerSubscription',
        max: limits.maxPatternsPerSubscription,
      });
    }
    const filters: Filters = { ...(params.filters ?? {}) };
    if (params.correlation_id !== undefined) filters.correlation_id = params.correlation_id;
    if (Object.keys(filters).length > limits.maxFilterKeys) {
      throw new HeraldError('limit_exceeded', `filters may have at most ${limits.maxFilterKeys} keys`, {
        path: 'filters',
        limit: 'maxFilterKeys',
        max: limits.maxFilterKeys,
      });
    }
    const refused = params.event_types.find((pattern) => !can(subscriber.identity, 'subscribe', pattern));
    if (refused !== undefined) {
      // Refused whole, never silently narrowed.
      throw new HeraldError('forbidden', `subscribing to "${refused}" needs the permission subscribe:${refused} (or a wider one)`, {
        path: 'event_types',
        permission: `subscribe:${refused}`,
      });
    }
    const predicate = compileFilter(filters, this.deps.resolver);
    const hint = equalityHint(filters, this.deps.resolver);
    const id = params.subscription_id ?? this.nextId(member);
    if (member.subscriptions.has(id)) this.removeSubscription(member, id);
    const sub: Subscription = {
      id,
      member,
      patterns: [...new Set(params.event_types)],
      matchers: [],
      filters,
      predicate,
      hint,
      isReplaying: params.since !== undefined && params.since !== 'latest',
    };
    sub.matchers = sub.patterns.map(compilePattern);
    member.subscriptions.set(id, sub);
    this.index.add({ key: indexKey(member, id), patterns: sub.patterns, predicate, hint, value: sub });
    return sub;
  }

  /** Replays what the subscription missed since `since`, then lets live events through. */
  async startReplay(subscriber: Subscriber, sub: Subscription, since: number | string): Promise<void> {
    await this.replayer.replay(subscriber, sub, since);
  }

  private nextId(member: HubMember): string {
    let id: string;
    do id = `sub_${member.nextSubscriptionNumber++}`;
    while (member.subscriptions.has(id));
    return id;
  }

  private removeSubscription(member: HubMember, id: string): void {
    member.subscriptions.delete(id);
    this.index.remove(indexKey(member, id));
  }

  /** Drops a subscription by id, or the given patterns from every subscription; returns the ids touched. */
  unsubscribe(subscriber: Subscriber, by: { subscription_id?: string; event_types?: string[] }): string[] {
    const member = this.member(subscriber);
    if (by.subscription_id !== undefined) {
      if (!member.subscriptions.has(by.subscription_id)) {
        throw new HeraldError(
          'subscription_not_found',
          `no subscription "${by.subscription_id}" on this connection; list_subscriptions shows them`,
          {
            path: 'subscription_id',
          },
        );
      }
      this.removeSubscription(member, by.subscription_id);
      return [by.subscription_id];
    }
    const drop = new Set(by.event_types ?? []);
    const touched: string[] = [];
    for (const sub of [...member.subscriptions.values()]) {
      const kept = sub.patterns.filter((p) => !drop.has(p));
      if (kept.length === sub.patterns.length) continue;
      touched.push(sub.id);
      this.index.remove(indexKey(member, sub.id));
      if (kept.length === 0) member.subscriptions.delete(sub.id);
      else {
        sub.patterns = kept;
        sub.matchers = kept.map(compilePattern);
        this.index.add({ key: indexKey(member, sub.id), patterns: kept, predicate: sub.predicate, hint: sub.hint, value: sub });
      }
    }
    return touched;
  }

  /** Drops the subscriptions the subscriber's (new) identity no longer allows; returns their ids. */
  revalidate(subscriber: Subscriber): string[] {
    const member = this.member(subscriber);
    const dropped: string[] = [];
    for (const sub of [...member.subscriptions.values()]) {
      if (sub.patterns.every((p) => can(subscriber.identity, 'subscribe', p))) continue;
      this.removeSubscription(member, sub.id);
      dropped.push(sub.id);
    }
    return dropped;
  }

  subscriptionCountOf(subscriber: Subscriber): number {
    return this.members.get(subscriber.id)?.subscriptions.size ?? 0;
  }

  list(subscriber: Subscriber): SubscriptionInfo[] {
    return [...this.member(subscriber).subscriptions.values()].map(describeSubscription);
  }

  /** Fans one event out to every connection with a matching subscription. */
  dispatch(event: HeraldEvent, json: string): void {
    const seq = event.seq;
    const touched = this.touched;
    this.index.match(event, (entry: IndexedSubscription<Subscription>) => {
      const sub = entry.value;
      if (sub.isReplaying) return;
      const member = sub.member;
      if (member.markSeq !== seq) {
        if (!isVisibleTo(member.subscriber, event)) return;
        member.markSeq = seq;
        member.firstMatch = sub.id;
        member.allMatches = undefined;
        touched.push(member);
      } else {
        (member.allMatches ??= [member.firstMatch]).push(sub.id);
      }
    });
    if (touched.length === 0) return;
    // Frames are shared by every connection whose matched subscription list is the same.
    let lastKey = '';
    let lastFrame: OutboundFrame | undefined;
    let frames: Map<string, OutboundFrame> | undefined;
    for (const member of touched) {
      const key = member.allMatches === undefined ? member.firstMatch : member.allMatches.join('\u0000');
      let frame: OutboundFrame | undefined;
      if (key === lastKey && lastFrame !== undefined) frame = lastFrame;
      else {
        if (lastFrame !== undefined) (frames ??= new Map()).set(lastKey, lastFrame);
        frame = frames?.get(key);
        if (frame === undefined) {
          const ids = member.allMatches === undefined ? `[${JSON.stringify(member.firstMatch)}]` : JSON.stringify(member.allMatches);
          frame = OutboundFrame.fromText(`${EVENT_PREFIX}${ids},"event":${json}}`);
        }
      }
      lastKey = key;
      lastFrame = frame;
      member.subscriber.deliver(frame!);
    }
    this.deps.metrics.recordDeliveries(touched.length);
    touched.length = 0;
  }
}

function indexKey(member: HubMember, subscriptionId: string): string {
  return `${member.subscriber.id}\u0000${subscriptionId}`;
}

export function describeSubscription(sub: Subscription): SubscriptionInfo {
  return { subscription_id: sub.id, event_types: sub.patterns, filters: sub.filters };
}

/** True when the subscription wants the event (patterns and filters), visibility aside. */
export function subscriptionMatches(sub: Subscription, event: HeraldEvent): boolean {
  return sub.matchers.some((m) => m(event.type)) && (sub.predicate === undefined || sub.predicate(event));
}
