import type { HeraldEvent } from '@herald/protocol';
import type { Bus, BusListener } from './bus.js';

/** The single-node bus: a publish is delivered synchronously to this node. */
export class MemoryBus implements Bus {
  readonly description = 'memory';
  private listener: BusListener | undefined;
  private delivered = 0;

  async start(listener: BusListener, afterSeq: number): Promise<void> {
    this.listener = listener;
    this.delivered = afterSeq;
  }

  get deliveredSeq(): number {
    return this.delivered;
  }

  publish(event: HeraldEvent, json: string): void {
    // One node publishes in seq order, so order holds without a buffer; a repeat is dropped.
    if (!this.listener || event.seq <= this.delivered) return;
    this.delivered = event.seq;
    this.listener(event, json);
  }

  abandon(): void {
    // Nothing waits for a seq on one node: later seqs are delivered as they come.
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async stop(): Promise<void> {
    this.listener = undefined;
  }
}
