import { nowUs } from '../clock.js';
import { AckingPublisher } from './ack-waiter.js';
import { ErrorLog } from './error-log.js';
import type { SeedRequest, SeedResult } from './messages.js';

/** Event types, severities and sources the stored events cycle through, so filters select subsets. */
export const SEED_TYPES = ['bench.hist.alpha', 'bench.hist.beta', 'bench.hist.gamma', 'bench.hist.delta', 'bench.hist.epsilon'];
export const SEED_SEVERITIES = ['info', 'warning', 'error', 'debug', 'critical', 'success'];
/** One event in this many mentions the search word. */
export const SEED_NEEDLE_EVERY = 1_000;
export const SEED_NEEDLE = 'needle';

function seedEvent(i: number): string {
  const message = i % SEED_NEEDLE_EVERY === 0 ? `disk ${SEED_NEEDLE} timeout` : 'ok';
  return `{"type":"${SEED_TYPES[i % SEED_TYPES.length]}","source":"svc-${i % 20}","severity":"${SEED_SEVERITIES[i % SEED_SEVERITIES.length]}","data":{"i":${i},"msg":"${message}"}}`;
}

/** Stores `count` events over one WS connection, `inFlight` batches at a time. */
export async function seed(request: SeedRequest): Promise<SeedResult> {
  const errors = new ErrorLog();
  const publisher = new AckingPublisher();
  await publisher.open(request.spec);
  const startUs = nowUs();
  let next = 0;
  let stored = 0;
  let lastSeq = NaN;
  const lane = async (): Promise<void> => {
    while (next < request.count) {
      const first = next;
      const size = Math.min(request.batchSize, request.count - first);
      next += size;
      const events = Array.from({ length: size }, (_, k) => seedEvent(first + k));
      try {
        const ack = await publisher.publish(`[${events.join(',')}]`, 60_000);
        stored += ack.count;
        if (!(ack.lastSeq <= lastSeq)) lastSeq = ack.lastSeq;
      } catch (error) {
        errors.add((error as Error).message);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: request.inFlight }, lane));
  publisher.close();
  return { stored, lastSeq, elapsedMs: (nowUs() - startUs) / 1000, errors: errors.list() };
}
