import type { HeraldClient, Subscription } from '@herald/client';
import type { Filters, HeraldEvent } from '@herald/protocol';
import { readJson, writeJson } from '../lib/storage';
import { Store } from './store';

/** What a subscription card shows and what is kept across reloads. */
export interface SubscriptionSpec {
  id: string;
  label: string;
  types: string[];
  filters?: Filters;
}

export interface ActiveSubscription extends SubscriptionSpec {
  state: 'pending' | 'active' | 'failed';
  error?: string;
}

const STORAGE_KEY = 'herald.subscriptions.v1';

/** What a first visit subscribes to: everything but Herald's own periodic metrics, which have their own view. */
export const DEFAULT_SUBSCRIPTION: Omit<SubscriptionSpec, 'id'> = {
  label: 'All events',
  types: ['*'],
  filters: { type: { nin: ['metrics'] } },
};

/** How far back a restored subscription reaches on page load, in seqs, so the feed does not open empty. */
const BACKFILL_SEQS = 200;

/**
 * The subscriptions the reader built, all feeding the one live feed. They
 * are kept in localStorage so a reload restores them; the SDK resumes each
 * after a reconnect.
 */
export class SubscriptionSet extends Store<readonly ActiveSubscription[]> {
  readonly #subs = new Map<string, Subscription>();

  constructor(
    private readonly client: HeraldClient,
    private readonly onEvent: (event: HeraldEvent) => void,
  ) {
    super([]);
  }

  /** Re-creates the saved subscriptions (or the default one on a first visit), reaching back a little. */
  restore(headSeq: number): void {
    const saved = readJson<SubscriptionSpec[]>(STORAGE_KEY);
    const specs = Array.isArray(saved)
      ? saved.filter((s) => Array.isArray(s?.types) && s.types.length > 0)
      : [{ ...DEFAULT_SUBSCRIPTION, id: newId() }];
    const since = Math.max(0, headSeq - BACKFILL_SEQS);
    for (const spec of specs) this.add(spec, since);
  }

  add(spec: SubscriptionSpec, since?: number): void {
    const sub = this.client.subscribe({
      id: spec.id,
      types: spec.types,
      filters: spec.filters,
      bufferSize: 0,
      ...(since !== undefined ? { since } : {}),
    });
    this.#subs.set(spec.id, sub);
    sub.on('event', (event) => this.onEvent(event));
    this.update((list) => [...list, { ...spec, state: 'pending' }]);
    this.#save();
    sub.ready().then(
      () => this.#patch(spec.id, { state: 'active' }),
      (err: Error) => {
        if (!this.#subs.has(spec.id)) return;
        this.#patch(spec.id, { state: 'failed', error: err.message });
      },
    );
  }

  create(spec: Omit<SubscriptionSpec, 'id'>): SubscriptionSpec {
    const full = { ...spec, id: newId() };
    this.add(full);
    return full;
  }

  async remove(id: string): Promise<void> {
    const sub = this.#subs.get(id);
    this.#subs.delete(id);
    this.update((list) => list.filter((s) => s.id !== id));
    this.#save();
    await sub?.unsubscribe().catch(() => undefined);
  }

  #patch(id: string, change: Partial<ActiveSubscription>): void {
    this.update((list) => list.map((s) => (s.id === id ? { ...s, ...change } : s)));
  }

  #save(): void {
    writeJson(
      STORAGE_KEY,
      this.get().map(({ id, label, types, filters }) => ({ id, label, types, filters })),
    );
  }
}

function newId(): string {
  return `ui_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
