import { describe, expect, it } from 'vitest';
import { HeraldQueueFullError } from './errors.js';
import { PublishQueue, type OutgoingEvent } from './publish-queue.js';

const quiet = (p: Promise<unknown>): void => void p.catch(() => {});
const ev = (id: string): OutgoingEvent => ({ id, type: 'test.event' });

describe('PublishQueue', () => {
  it('resolves a publish with the acknowledgement and frees its room', async () => {
    const queue = new PublishQueue({ maxEvents: 10 });
    const result = queue.add([ev('a'), ev('b')]);
    expect(queue.eventCount).toBe(2);
    const [entry] = queue.takeUnsent();
    queue.succeed(entry!, { ids: ['a', 'b'], seqs: [1, 2] });
    await expect(result).resolves.toEqual({ ids: ['a', 'b'], seqs: [1, 2] });
    expect(queue.eventCount).toBe(0);
  });

  it('counts events, not calls, against the bound and rejects a call that would pass it', async () => {
    const queue = new PublishQueue({ maxEvents: 3 });
    quiet(queue.add([ev('a'), ev('b')]));
    const refused = queue.add([ev('c'), ev('d')]);
    await expect(refused).rejects.toBeInstanceOf(HeraldQueueFullError);
    await expect(refused).rejects.toMatchObject({ code: 'publish_queue_full', details: { pending: 2, maxPendingPublishEvents: 3 } });
    quiet(queue.add([ev('c')]));
    expect(queue.eventCount).toBe(3);
    queue.failAll(new Error('cleanup'));
  });

  it('hands out each entry once until it is requeued, and keeps its place when requeued', () => {
    const queue = new PublishQueue({ maxEvents: 10 });
    quiet(queue.add([ev('a')]));
    quiet(queue.add([ev('b')]));
    const first = queue.takeUnsent();
    expect(first.map((e) => e.events[0]!.id)).toEqual(['a', 'b']);
    quiet(queue.add([ev('c')]));
    expect(queue.takeUnsent().map((e) => e.events[0]!.id)).toEqual(['c']);
    for (const entry of first) queue.requeue(entry);
    expect(queue.takeUnsent().map((e) => e.events[0]!.id)).toEqual(['a', 'b']);
    queue.failAll(new Error('cleanup'));
  });

  it('resends under the same event ids after a requeue', () => {
    const queue = new PublishQueue({ maxEvents: 10 });
    quiet(queue.add([ev('stable-id')]));
    const [sent] = queue.takeUnsent();
    queue.requeue(sent!);
    const [resent] = queue.takeUnsent();
    expect(resent!.events).toBe(sent!.events);
    queue.failAll(new Error('cleanup'));
  });

  it('rejects a failed entry and every entry on failAll, each once', async () => {
    const queue = new PublishQueue({ maxEvents: 10 });
    const a = queue.add([ev('a')]);
    const b = queue.add([ev('b')]);
    const [entryA] = queue.takeUnsent();
    queue.fail(entryA!, new Error('invalid'));
    queue.failAll(new Error('closed'));
    queue.succeed(entryA!, { ids: ['a'], seqs: [1] });
    await expect(a).rejects.toThrow('invalid');
    await expect(b).rejects.toThrow('closed');
    expect(queue.eventCount).toBe(0);
  });
});
