import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '@herald/protocol';
import { EventRegistry } from '../registry/event-registry.js';
import { makeEvent } from '../store/event-store.contract.js';
import { SqliteEventStore } from '../store/sqlite-event-store.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';
import { WebhookDriver } from './webhook-driver.js';
import { makeDefinition } from './webhook-store.contract.js';
import type { SendRequest } from './webhook-sender.js';

const TYPES = ['job.done', 'job.failed', 'deploy.started', 'noise'];
const PATTERN_SETS = [['job.*'], ['*'], ['job.failed', 'deploy.*'], ['nothing.here']];

/** Resolves once `check` holds, polling; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WebhookDriver', () => {
  it('sends exactly the matching events, in seq order, each until a 2xx or maxAttempts, dead-lettering the rest (model)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ type: fc.constantFrom(...TYPES), failures: fc.nat({ max: 4 }) }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...PATTERN_SETS),
        fc.integer({ min: 1, max: 4 }),
        async (specs, patterns, maxAttempts) => {
          const events = new SqliteEventStore({ path: ':memory:' });
          const store = new SqliteWebhookStore({ path: ':memory:' });
          await events.open();
          await store.open();
          const list: HeraldEvent[] = specs.map((s, i) => makeEvent(i + 1, { type: s.type, category: s.type.split('.')[0]!, org: undefined }));
          await store.upsert(makeDefinition('wh_1', { event_types: patterns, maxAttempts }), 0);
          const sent: Array<{ seq: number; attempt: number; isOk: boolean }> = [];
          const published: unknown[] = [];
          const send = async (request: SendRequest) => {
            const seq = Number(request.headers['herald-event-seq']);
            const attempt = Number(request.headers['herald-delivery-attempt']);
            const isOk = attempt > specs[seq - 1]!.failures;
            sent.push({ seq, attempt, isOk });
            return { status: isOk ? 204 : 503, latencyMs: 1, error: isOk ? undefined : 'HTTP 503' };
          };
          const driver = new WebhookDriver((await store.get('wh_1'))!, {
            events,
            store,
            send,
            publish: async (e) => published.push(...e),
            resolver: new EventRegistry([]),
            settings: { retryBaseMs: 1, retryMaxMs: 2, pollIntervalMs: 5, leaseMs: 1_000, gapGraceMs: 0 },
            nodeId: 'node-a',
            logger: pino({ level: 'silent' }),
          });
          try {
            await events.append(list);
            driver.nudge(list.length);
            await until(async () => (await store.get('wh_1'))!.cursor === list.length);

            // The model: matching events in order; each tried until it succeeds or runs out of attempts.
            const matching = list.filter((e) => patterns.some((p) => p === '*' || p === e.type || (p.endsWith('.*') && e.type.startsWith(p.slice(0, -1)))));
            const expected = matching.flatMap((e) => {
              const failures = specs[e.seq - 1]!.failures;
              const tries = Math.min(failures + 1, maxAttempts);
              return Array.from({ length: tries }, (_, i) => ({ seq: e.seq, attempt: i + 1, isOk: i + 1 > failures }));
            });
            expect(sent).toEqual(expected);
            const dead = matching.filter((e) => specs[e.seq - 1]!.failures >= maxAttempts).map((e) => e.seq);
            expect((await store.deliveries('wh_1', { limit: 100, status: 'dead' })).map((d) => d.event_seq).reverse()).toEqual(dead);
            expect(published.map((p) => (p as { data: { event_seq: number } }).data.event_seq)).toEqual(dead);
          } finally {
            await driver.stop();
            await store.close();
            await events.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
