import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeraldQueueFullError, HeraldRequestError, HeraldTimeoutError } from './errors.js';
import { RequestTracker } from './request-tracker.js';

describe('RequestTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives each request a new numeric id and resolves it with the reply that echoes it', async () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 10 });
    const a = tracker.track({ action: 'ping' });
    const b = tracker.track({ action: 'get_metadata' });
    expect(a.frame).toEqual({ action: 'ping', id: 1 });
    expect(b.frame.id).toBe(2);
    expect(tracker.settle({ type: 'pong', id: 1, server_time: 'now' })).toBe(true);
    await expect(a.reply).resolves.toEqual({ type: 'pong', id: 1, server_time: 'now' });
    expect(tracker.size).toBe(1);
  });

  it('rejects with a HeraldRequestError carrying the server code, message and details', async () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 10 });
    const { reply } = tracker.track({ action: 'publish' });
    tracker.settle({ type: 'error', id: 1, code: 'invalid_event', message: 'type is required', details: { path: 'type' } });
    const error = await reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldRequestError);
    expect(error).toMatchObject({ code: 'invalid_event', message: 'type is required', details: { path: 'type' }, action: 'publish' });
  });

  it('ignores replies with an id it does not know, including late ones after a timeout', async () => {
    const tracker = new RequestTracker({ timeoutMs: 100, maxPending: 10 });
    const { reply } = tracker.track({ action: 'ping' });
    const settled = expect(reply).rejects.toBeInstanceOf(HeraldTimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(tracker.settle({ type: 'pong', id: 1, server_time: 'late' })).toBe(false);
    expect(tracker.settle({ type: 'pong', server_time: 'no id' })).toBe(false);
    expect(tracker.size).toBe(0);
  });

  it('uses a per-request timeout when one is given', async () => {
    const tracker = new RequestTracker({ timeoutMs: 10_000, maxPending: 10 });
    const { reply } = tracker.track({ action: 'history' }, { timeoutMs: 50 });
    const settled = expect(reply).rejects.toMatchObject({ code: 'timeout', details: { action: 'history', timeoutMs: 50 } });
    await vi.advanceTimersByTimeAsync(50);
    await settled;
  });

  it('hands out unsent frames oldest first, once each', () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 10 });
    tracker.track({ action: 'a' });
    tracker.track({ action: 'b' }, { isSent: true });
    tracker.track({ action: 'c' });
    expect(tracker.takeUnsent().map((f) => f.action)).toEqual(['a', 'c']);
    expect(tracker.takeUnsent()).toEqual([]);
  });

  it('fails only the requests already sent when their socket is lost', async () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 10 });
    const sent = tracker.track({ action: 'ping' }, { isSent: true });
    const waiting = tracker.track({ action: 'ping' });
    tracker.failSent(new Error('lost'));
    await expect(sent.reply).rejects.toThrow('lost');
    expect(tracker.size).toBe(1);
    tracker.failAll(new Error('closed'));
    await expect(waiting.reply).rejects.toThrow('closed');
  });

  it('keeps the sent requests the caller may resend, to hand them out again', async () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 10 });
    const read = tracker.track({ action: 'history' }, { isSent: true });
    const write = tracker.track({ action: 'auth' }, { isSent: true });
    tracker.failSent(new Error('lost'), (frame) => frame.action === 'history');
    await expect(write.reply).rejects.toThrow('lost');
    expect(tracker.takeUnsent()).toEqual([{ action: 'history', id: 1 }]);
    tracker.settle({ type: 'history', id: 1, events: [], next_cursor: null });
    await expect(read.reply).resolves.toMatchObject({ type: 'history' });
  });

  it('refuses a request past maxPending, unless the caller bounds it elsewhere', async () => {
    const tracker = new RequestTracker({ timeoutMs: 1000, maxPending: 2 });
    const replies = [tracker.track({ action: 'ping' }).reply, tracker.track({ action: 'ping' }).reply];
    expect(() => tracker.track({ action: 'ping' })).toThrow(HeraldQueueFullError);
    const publish = tracker.track({ action: 'publish' }, { isBounded: false });
    expect(publish.frame.id).toBe(3);
    tracker.failAll(new Error('cleanup'));
    await Promise.allSettled([...replies, publish.reply]);
  });
});
