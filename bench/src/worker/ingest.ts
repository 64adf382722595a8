import { nowUs } from '../clock.js';
import { buildData } from '../load/payload.js';
import { createLatencyHistogram, encodeHistogram, recordUs } from '../stats/latency.js';
import { AckingPublisher } from './ack-waiter.js';
import { ErrorLog } from './error-log.js';
import { HttpClient } from './http-client.js';
import type { IngestRequest, IngestResult } from './messages.js';
import { WindowCpu } from './window-cpu.js';

/** Bytes of each ingested event's data, as in the fan-out scenarios. */
const DATA_BYTES = 256;

function eventsJson(count: number): string {
  const one = (): string => `{"type":"bench.ingest","source":"bench","data":${buildData(nowUs(), 0, DATA_BYTES)}}`;
  return `[${Array.from({ length: count }, one).join(',')}]`;
}

/**
 * S6: `publishers` closed loops, each sending the next publish as soon as the
 * previous one is acknowledged (durably stored, per Herald's contract).
 * Counts events whose acknowledgement arrived inside the window.
 */
export async function ingest(request: IngestRequest): Promise<IngestResult> {
  const errors = new ErrorLog();
  const histogram = createLatencyHistogram();
  const cpu = new WindowCpu();
  cpu.arm(request.fromUs, request.toUs);
  let ackedInWindow = 0;
  const account = (startUs: number, count: number): void => {
    const endUs = nowUs();
    if (endUs >= request.fromUs && endUs < request.toUs) ackedInWindow += count;
    if (startUs >= request.fromUs && endUs < request.toUs) recordUs(histogram, endUs - startUs);
  };
  const http = new HttpClient(request.spec.host, request.spec.port, request.spec.token ?? '', request.publishers);
  const lanes = Array.from({ length: request.publishers }, async () => {
    const ws = request.mode === 'ws' ? new AckingPublisher() : undefined;
    await ws?.open(request.spec);
    while (nowUs() < request.toUs) {
      const startUs = nowUs();
      try {
        if (ws !== undefined) {
          const ack = await ws.publish(eventsJson(request.batchSize));
          account(startUs, ack.count);
        } else {
          const body = request.batchSize === 1 ? eventsJson(1).slice(1, -1) : `{"events":${eventsJson(request.batchSize)}}`;
          const res = await http.call('POST', '/api/events', body);
          if (res.status === 202 || res.status === 200) account(startUs, request.batchSize);
          else errors.add(`HTTP ${res.status}: ${res.body.slice(0, 120)}`);
        }
      } catch (error) {
        errors.add((error as Error).message);
        if (ws !== undefined) break;
      }
    }
    ws?.close();
  });
  await Promise.all(lanes);
  http.close();
  while (nowUs() < request.toUs + 5_000) await new Promise((resolve) => setTimeout(resolve, 5));
  return { ackedInWindow, histogram: encodeHistogram(histogram), cpuUs: cpu.usedUs(), errors: errors.list() };
}
