import { queryHistory } from './history.js';
import { ingest } from './ingest.js';
import type { WorkerEnvelope, WorkerReply, WorkerRequest } from './messages.js';
import { publish } from './publisher.js';
import { resumeStorm } from './resume.js';
import { seed } from './seed.js';
import { SubscriberPool } from './subscriber-pool.js';

/**
 * A load generator process, driven by the coordinator over IPC. Each process
 * holds one role at a time: subscribers, the publisher, ingest publishers,
 * history queries or resuming clients.
 */
const pool = new SubscriberPool();

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'subscribe':
      return pool.subscribe(request);
    case 'window':
      pool.setWindow(request.fromUs, request.toUs);
      return null;
    case 'counts':
      return pool.counts();
    case 'report':
      return pool.report();
    case 'close':
      pool.close();
      return null;
    case 'publish':
      return publish(request);
    case 'ingest':
      return ingest(request);
    case 'seed':
      return seed(request);
    case 'history':
      return queryHistory(request);
    case 'resume':
      return resumeStorm(request);
  }
}

process.on('message', (envelope: WorkerEnvelope) => {
  handle(envelope.request).then(
    (result) => process.send?.({ id: envelope.id, result } satisfies WorkerReply),
    (error: unknown) =>
      process.send?.({ id: envelope.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
// The coordinator going away must not leave generators behind.
process.on('disconnect', () => process.exit(0));
