import type { Logger } from '../logging/create-logger.js';
import { type DriverDeps, WebhookDriver } from './webhook-driver.js';
import type { WebhookDefinition, WebhookStore } from './webhook-store.js';

export interface DispatcherDeps extends DriverDeps {
  /** The log's newest seq: a webhook new to the store starts after it. */
  lastSeq(): Promise<number>;
  logger: Logger;
}

/**
 * Runs one {@link WebhookDriver} per stored webhook and keeps the set in
 * step with the store: at start, after every change made through this
 * node, and every `pollIntervalMs` for changes made through another node.
 * Every node runs drivers for every webhook; the lease decides which one
 * delivers.
 */
export class WebhookDispatcher {
  private readonly drivers = new Map<string, WebhookDriver>();
  private timer: NodeJS.Timeout | undefined;
  /** Reloads run one after another, so one asked for after a change always sees it. */
  private chain: Promise<void> = Promise.resolve();
  private isReloading = false;
  private isStopped = false;
  /** Drivers of deleted webhooks, finishing their attempt in flight. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly deps: DispatcherDeps) {}

  get store(): WebhookStore {
    return this.deps.store;
  }

  /**
   * Stores the config file's webhooks (a new one starts at the log's
   * head; a known one keeps its cursor and status), forgets config
   * webhooks no longer in the file, and starts delivering.
   */
  async start(fromConfig: readonly WebhookDefinition[]): Promise<void> {
    const head = await this.deps.lastSeq();
    const keep = new Set(fromConfig.map((w) => w.id));
    for (const stored of await this.deps.store.list()) {
      if (stored.origin === 'config' && !keep.has(stored.id)) await this.deps.store.remove(stored.id);
    }
    for (const definition of fromConfig) await this.deps.store.upsert(definition, head);
    await this.reload();
    this.timer = setInterval(() => {
      if (!this.isReloading) void this.reload();
    }, this.deps.settings.pollIntervalMs);
    this.timer.unref();
  }

  /** Tells every driver that the log may hold events up to `seq`. Cheap: called for every event. */
  nudge(seq: number): void {
    for (const driver of this.drivers.values()) driver.nudge(seq);
  }

  /** Reads the webhooks again and starts, updates or stops drivers to match. */
  reload(): Promise<void> {
    this.isReloading = true;
    const next = this.chain.then(() => this.syncDrivers());
    this.chain = next.then(
      () => {
        this.isReloading = false;
      },
      () => {
        this.isReloading = false;
      },
    );
    return next;
  }

  private async syncDrivers(): Promise<void> {
    if (this.isStopped) return;
    let webhooks;
    try {
      webhooks = await this.deps.store.list();
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not read the webhooks; keeping the ones running');
      return;
    }
    if (this.isStopped) return;
    const seen = new Set<string>();
    for (const webhook of webhooks) {
      seen.add(webhook.id);
      const driver = this.drivers.get(webhook.id);
      if (driver) driver.update(webhook);
      else this.drivers.set(webhook.id, new WebhookDriver(webhook, this.deps));
    }
    for (const [id, driver] of this.drivers) {
      if (seen.has(id)) continue;
      this.drivers.delete(id);
      // Not awaited: an attempt in flight may take its whole timeout, and a DELETE need not wait for it.
      // What that attempt records once it ends is removed with the rest of the webhook.
      const retired: Promise<void> = driver
        .stop()
        .then(() => this.deps.store.remove(id))
        .then(
          () => undefined,
          (err: unknown) => this.deps.logger.warn({ err, webhook: id }, 'could not clean up after a deleted webhook'),
        )
        .finally(() => this.retiring.delete(retired));
      this.retiring.add(retired);
    }
  }

  /** Stops every driver after its attempt in flight; an attempt cut short by shutdown is not counted. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearInterval(this.timer);
    // Each driver is marked stopped now, before the caller cuts requests in flight short.
    const stopping = [...this.drivers.values()].map((d) => d.stop());
    await Promise.all([...stopping, ...this.retiring]);
    await this.chain;
    this.drivers.clear();
  }
}
