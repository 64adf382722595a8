import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, http } from './helpers.js';
import { HeraldProcess } from './herald-process.js';
import { WebhookReceiver } from './webhook-receiver.js';

const FAST_ENV = {
  HERALD_WEBHOOKS_ALLOW_PRIVATE: 'true',
  HERALD_WEBHOOK_RETRY_BASE_MS: '20',
  HERALD_WEBHOOK_RETRY_MAX_MS: '100',
  HERALD_WEBHOOK_POLL_INTERVAL_MS: '50',
};
const SECRET = 'whsec_restart_secret_0123456789';

describe('webhooks across a crash', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers every matching event exactly once, in seq order, signed, when Herald is killed mid-delivery and restarted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'herald-webhook-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // Event 2 fails once; the first attempt of event 4 hangs until the crash; everything else succeeds.
    const script = new Map<number, Array<number | 'hang'>>([
      [2, [500]],
      [4, ['hang']],
    ]);
    const receiver = await WebhookReceiver.start(({ json }) => script.get((json.data as { n: number }).n)?.shift() ?? 200);
    cleanups.push(() => receiver.close());
    const env = { ...FAST_ENV, HERALD_DATA_DIR: dataDir };

    const first = await HeraldProcess.start(env);
    cleanups.push(() => first.kill());
    const created = await http(first, 'POST', '/api/webhooks', { url: receiver.url, event_types: ['job.*'], secret: SECRET, timeoutMs: 30_000 });
    expect(created.status).toBe(201);
    const before = await http(first, 'POST', '/api/events', {
      events: [1, 2, 3, 4, 5].map((n) => ({ type: 'job.done', data: { n } })).concat([{ type: 'noise.other', data: { n: 0 } }]),
    });
    await eventually(() => receiver.requests.some((r) => r.answer === 'hang'), 10_000);
    await first.kill();

    const second = await HeraldProcess.start(env);
    cleanups.push(() => second.kill());
    const after = await http(second, 'POST', '/api/events', { events: [6, 7].map((n) => ({ type: 'job.done', data: { n } })) });
    const expected = [...(before.body.seqs as number[]).slice(0, 5), ...(after.body.seqs as number[])];
    await eventually(() => receiver.accepted.length >= expected.length, 15_000);

    expect(receiver.acceptedSeqs()).toEqual(expected);
    expect(receiver.allSigned(SECRET)).toBe(true);
    // The hung attempt is the only one the crash cost: event 4 was sent again, nothing else twice.
    expect(receiver.requests.map((r) => (r.json.data as { n: number }).n)).toEqual([1, 2, 2, 3, 4, 4, 5, 6, 7]);
    const log = await http(second, 'GET', `/api/webhooks/${created.body.id}/deliveries?limit=10`);
    expect(log.body.deliveries.map((d: { event_seq: number; status: string }) => [d.event_seq, d.status])).toEqual(
      [...expected].reverse().map((seq) => [seq, 'delivered']),
    );
  });
});
