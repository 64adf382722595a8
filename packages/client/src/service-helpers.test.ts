import { describe, expect, it, vi } from 'vitest';
import type { PublishEvent, PublishResult } from './publish-queue.js';
import { emits, withCorrelation, type Publisher } from './service-helpers.js';

function recorder(fail = false): Publisher & { events: PublishEvent[] } {
  const events: PublishEvent[] = [];
  return {
    events,
    publish: async (input): Promise<PublishResult> => {
      const list = Array.isArray(input) ? input : [input];
      events.push(...list);
      if (fail) throw new Error('queue full');
      return { ids: list.map((_, i) => `id${i}`), seqs: list.map((_, i) => i) };
    },
  };
}

describe('withCorrelation', () => {
  it('stamps its correlation id on single events and batches', async () => {
    const sink = recorder();
    const trace = withCorrelation(sink, 'req-42');
    await trace.publish({ type: 'a' });
    await trace.publish([{ type: 'b' }, { type: 'c', correlation_id: 'own' }]);
    expect(sink.events.map((e) => e.correlation_id)).toEqual(['req-42', 'req-42', 'own']);
    expect(trace.correlationId).toBe('req-42');
  });

  it('lets emits on a correlated publisher carry the correlation id', async () => {
    const sink = recorder();
    const run = withCorrelation(sink, 'req-7').emits('job', async () => 1);
    await run();
    expect(sink.events.map((e) => [e.type, e.correlation_id])).toEqual([
      ['job.started', 'req-7'],
      ['job.completed', 'req-7'],
    ]);
  });
});

describe('emits', () => {
  it('publishes started, then completed with duration_ms, and returns the result', async () => {
    const sink = recorder();
    const clock = vi.fn().mockReturnValueOnce(1000).mockReturnValueOnce(1250.5);
    const double = emits(sink, 'math.double', async (n: number) => n * 2, {
      source: 'calc',
      startedData: (n) => ({ input: n }),
      now: clock,
    });
    await expect(double(21)).resolves.toBe(42);
    expect(sink.events).toEqual([
      { type: 'math.double.started', data: { input: 21 }, source: 'calc' },
      { type: 'math.double.completed', severity: 'success', data: { duration_ms: 250.5 }, source: 'calc' },
    ]);
  });

  it('publishes failed with the error message and rethrows the error unchanged', async () => {
    const sink = recorder();
    const boom = new Error('upstream timeout');
    const call = emits(sink, 'tool.call', async () => {
      throw boom;
    });
    await expect(call()).rejects.toBe(boom);
    expect(sink.events[1]).toMatchObject({ type: 'tool.call.failed', severity: 'error', data: { error: 'upstream timeout' } });
    expect((sink.events[1]!.data as { duration_ms: number }).duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('never lets a failed publish change the function result', async () => {
    const sink = recorder(true);
    const onPublishError = vi.fn();
    const call = emits(sink, 'x', async () => 'fine', { onPublishError });
    await expect(call()).resolves.toBe('fine');
    await Promise.resolve();
    expect(onPublishError).toHaveBeenCalledTimes(2);
  });
});
