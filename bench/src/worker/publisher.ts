import { nowUs, sleep } from '../clock.js';
import type { OutgoingEvent } from '../dialects/dialect.js';
import { dialectFor } from '../dialects/dialects.js';
import { dueCount, maxBurstFor } from '../load/pacer.js';
import { buildData, GROUP_COUNT } from '../load/payload.js';
import { openSession } from './connect.js';
import { ErrorLog } from './error-log.js';
import type { PublishRequest, PublishResult } from './messages.js';
import { WindowCpu } from './window-cpu.js';

/** Longest wait for outstanding acknowledgements after the last publish, ms. */
const ACK_WAIT_MS = 2_000;

/**
 * The paced publisher: about every millisecond it sends the events due on
 * the rate line, each stamped with the monotonic clock just before sending.
 * With the minimal client every target gets its natural bulk form (one frame
 * per event for the raw peers and Socket.IO, one NATS stream write, one
 * Herald `publish` with all of the tick's events); with the `ws` client at
 * its defaults every event is a message of its own.
 */
export async function publish(request: PublishRequest): Promise<PublishResult> {
  const errors = new ErrorLog();
  let acked = 0;
  const socket = await openSession(
    { spec: request.spec, isDeflateOffered: false, client: request.client, timeoutMs: 10_000 },
    { kind: 'publisher', index: -1 },
    {
      onEvent: () => undefined,
      onAck: (count) => (acked += count),
      onReplayed: () => undefined,
      onError: (text) => errors.add(text),
      onClose: (code) => errors.add(`publisher closed with ${code}`),
    },
  );
  const dialect = dialectFor(request.spec);
  const cpu = new WindowCpu();
  cpu.arm(request.fromUs, request.toUs);
  const byGroup = new Array<number>(request.isGrouped ? GROUP_COUNT : 1).fill(0);
  const maxBurst = maxBurstFor(request.ratePerS);
  const isSingleEvent = request.client === 'ws-default';
  let sent = 0;
  let lateTicks = 0;
  let nextId = 1;
  const takeId = (): number => nextId++;

  await sleep((request.startUs - nowUs()) / 1000);
  while (!socket.isClosed) {
    const now = nowUs();
    if (now >= request.toUs) break;
    const elapsedUs = now - request.startUs;
    const due = dueCount({ elapsedUs, ratePerS: request.ratePerS, sent, maxBurst });
    if (Math.floor((elapsedUs * request.ratePerS) / 1e6) - sent > maxBurst) lateTicks++;
    const batch: OutgoingEvent[] = new Array<OutgoingEvent>(due);
    for (let k = 0; k < due; k++) {
      const group = request.isGrouped ? (sent + k) % GROUP_COUNT : undefined;
      const t = nowUs();
      if (t >= request.fromUs && t < request.toUs) byGroup[group ?? 0]!++;
      batch[k] = { group, data: buildData(t, group ?? 0, request.payloadBytes) };
    }
    sent += due;
    socket.sendMany(isSingleEvent ? batch.flatMap((event) => dialect.publishFrames([event], takeId)) : dialect.publishFrames(batch, takeId));
    await sleep(1);
  }
  const ackDeadline = nowUs() + ACK_WAIT_MS * 1000;
  if (request.spec.kind === 'herald') {
    while (acked < sent && nowUs() < ackDeadline && !socket.isClosed) await sleep(20);
  }
  socket.destroy();
  await sleep(Math.max(0, (request.toUs - nowUs()) / 1000) + 5);
  return { sent, sentInWindowByGroup: byGroup, acked, cpuUs: cpu.usedUs(), errors: errors.list(), lateTicks };
}
