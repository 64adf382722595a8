import type { HeraldEvent } from '@herald/protocol';
import type { Bus } from './bus.js';

/** The single-node bus: a publish is delivered synchronously to this node. */
export class MemoryBus implements Bus {
  readonly description = 'memory';
  private onEvent: ((event: HeraldEvent, json: string) => void) | undefined;

  async start(onEvent: (event: HeraldEvent, json: string) => void): Promise<void> {
    this.onEvent = onEvent;
  }

  publish(event: HeraldEvent, json: string): void {
    this.onEvent?.(event, json);
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async stop(): Promise<void> {
    this.onEvent = undefined;
  }
}
