import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram, encodeHistogram, recordUs } from '../stats/latency.js';
import type { Role } from '../dialects/dialect.js';
import type { ClientSocket } from '../wire/client-socket.js';
import { forEachLimited, openSession, type SessionListener } from './connect.js';
import { ErrorLog } from './error-log.js';
import type { CountsResult, SubscribeRequest, SubscribeResult, SubscriberReport } from './messages.js';
import { expandRoles } from './roles.js';
import { WindowCpu } from './window-cpu.js';

/**
 * The subscribers of one generator process. Every delivery updates a few
 * counters and one histogram slot; nothing is allocated per event.
 */
export class SubscriberPool {
  readonly #sockets: ClientSocket[] = [];
  readonly #histogram: Histogram = createLatencyHistogram();
  readonly #errors = new ErrorLog();
  readonly #closes: Record<string, number> = {};
  readonly #cpu = new WindowCpu();
  #fromUs = Infinity;
  #toUs = Infinity;
  #delivered = 0;
  #receivedInWindow = 0;

  async subscribe(request: SubscribeRequest): Promise<SubscribeResult> {
    const listener = this.#listener();
    const options = {
      spec: request.spec,
      localAddress: request.localAddress,
      isDeflateOffered: request.isDeflateOffered,
      client: request.client,
      timeoutMs: request.timeoutMs,
    };
    const roles = expandRoles(request.roles);
    const failed: Role[] = [];
    const open = (role: Role): Promise<void> =>
      openSession(options, role, listener).then(
        (socket) => void this.#sockets.push(socket),
        (error: Error) => {
          failed.push(role);
          throw error;
        },
      );
    let failures = await forEachLimited(roles, request.concurrency, open);
    // A connect storm can overflow the server's accept backlog; clients retry once, gently, as real ones would.
    if (failed.length > 0) {
      const retry = failed.splice(0);
      failures = await forEachLimited(retry, Math.max(1, request.concurrency >> 3), open);
    }
    for (const failure of failures) this.#errors.add(failure.message);
    return { connected: request.roles.count - failures.length, failed: failures.length, firstError: failures[0]?.message };
  }

  setWindow(fromUs: number, toUs: number): void {
    this.#fromUs = fromUs;
    this.#toUs = toUs;
    this.#cpu.arm(fromUs, toUs);
  }

  counts(): CountsResult {
    return { delivered: this.#delivered };
  }

  report(): SubscriberReport {
    return {
      delivered: this.#delivered,
      receivedInWindow: this.#receivedInWindow,
      histogram: encodeHistogram(this.#histogram),
      cpuUs: this.#cpu.usedUs(),
      closes: this.#closes,
      errors: this.#errors.list(),
    };
  }

  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.length = 0;
  }

  #listener(): SessionListener {
    return {
      onEvent: (stampUs, receivedUs) => {
        if (stampUs >= this.#fromUs && stampUs < this.#toUs) {
          this.#delivered++;
          recordUs(this.#histogram, receivedUs - stampUs);
        }
        if (receivedUs >= this.#fromUs && receivedUs < this.#toUs) this.#receivedInWindow++;
      },
      onAck: () => undefined,
      onReplayed: () => undefined,
      onError: (text) => this.#errors.add(text),
      onClose: (code) => {
        this.#closes[code] = (this.#closes[code] ?? 0) + 1;
      },
    };
  }
}
