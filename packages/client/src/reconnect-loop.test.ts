import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectLoop, ReconnectStoppedError } from './reconnect-loop.js';

class Refused extends Error {
  constructor(readonly isRetryable: boolean) {
    super(isRetryable ? 'try again' : 'never');
  }
}

function loopWith(results: Array<'ok' | 'retry' | 'fatal'>, maxRetries = Infinity) {
  const attempt = vi.fn(async () => {
    const next = results.shift() ?? 'ok';
    if (next === 'ok') return 'connected';
    throw new Refused(next === 'retry');
  });
  const onRetry = vi.fn();
  const loop = new ReconnectLoop({
    attempt,
    isRetryable: (err) => err instanceof Refused && err.isRetryable,
    backoff: (n) => 100 * (n + 1),
    maxRetries,
    onRetry,
  });
  return { loop, attempt, onRetry };
}

describe('ReconnectLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries after each retryable failure, waiting backoff(n) before try n', async () => {
    const { loop, attempt, onRetry } = loopWith(['retry', 'retry', 'ok']);
    const run = loop.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(run).resolves.toBe('connected');
    expect(onRetry.mock.calls.map(([info]) => [info.attempt, info.delayMs])).toEqual([
      [0, 100],
      [1, 200],
    ]);
    expect(loop.isRunning).toBe(false);
  });

  it('shares one run between concurrent callers', async () => {
    const { loop, attempt } = loopWith(['retry', 'ok']);
    const first = loop.run();
    const second = loop.run();
    expect(second).toBe(first);
    await vi.advanceTimersByTimeAsync(100);
    await expect(Promise.all([first, second])).resolves.toEqual(['connected', 'connected']);
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('gives up at once on a failure that may not be retried', async () => {
    const { loop, attempt } = loopWith(['retry', 'fatal']);
    const run = loop.run();
    const outcome = expect(run).rejects.toThrow('never');
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const { loop, attempt } = loopWith(['retry', 'retry', 'retry', 'ok'], 2);
    const run = loop.run();
    const outcome = expect(run).rejects.toThrow('try again');
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('waits backoff(0) before the first try when started after a failure', async () => {
    const { loop, attempt, onRetry } = loopWith(['ok']);
    const run = loop.run({ error: new Refused(true) });
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 0, delayMs: 100 }));
    await vi.advanceTimersByTimeAsync(99);
    expect(attempt).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe('connected');
  });

  it('ends a run that is waiting when stopped, and refuses later runs', async () => {
    const { loop, attempt } = loopWith(['retry', 'ok']);
    const run = loop.run();
    await vi.advanceTimersByTimeAsync(10);
    loop.stop();
    await expect(run).rejects.toBeInstanceOf(ReconnectStoppedError);
    await expect(loop.run()).rejects.toBeInstanceOf(ReconnectStoppedError);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('starts a fresh run, with a fresh attempt count, once the previous one has finished', async () => {
    const { loop, onRetry } = loopWith(['retry', 'ok', 'retry', 'ok']);
    const first = loop.run();
    await vi.advanceTimersByTimeAsync(100);
    await first;
    const second = loop.run();
    expect(second).not.toBe(first);
    await vi.advanceTimersByTimeAsync(100);
    await expect(second).resolves.toBe('connected');
    expect(onRetry.mock.calls.map(([info]) => info.attempt)).toEqual([0, 0]);
  });
});

describe('ReconnectLoop.markConnected', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a drop right after connecting start a new run instead of joining the finishing one', async () => {
    let finishFirst!: (value: string) => void;
    let tries = 0;
    const loop = new ReconnectLoop<string>({
      attempt: () => (++tries === 1 ? new Promise((resolve) => (finishFirst = resolve)) : Promise.resolve('connection 2')),
      isRetryable: () => true,
      backoff: () => 10,
      maxRetries: Infinity,
    });
    const first = loop.run();
    await vi.advanceTimersByTimeAsync(0);
    loop.markConnected();
    const second = loop.run({ error: new Error('dropped') });
    expect(second).not.toBe(first);
    finishFirst('connection 1');
    await expect(first).resolves.toBe('connection 1');
    expect(loop.isRunning).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    await expect(second).resolves.toBe('connection 2');
    expect(loop.isRunning).toBe(false);
  });
});
