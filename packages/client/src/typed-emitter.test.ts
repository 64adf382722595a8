import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from './typed-emitter.js';

type Events = { tick: [n: number]; done: [] };

describe('TypedEmitter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls listeners in the order they were added and removes them with the returned function', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    const offA = emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', (n) => seen.push(`b${n}`));
    emitter.emit('tick', 1);
    offA();
    emitter.emit('tick', 2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount('tick')).toBe(1);
  });

  it('runs a once listener a single time', () => {
    const emitter = new TypedEmitter<Events>();
    const listener = vi.fn();
    emitter.once('done', listener);
    emitter.emit('done');
    emitter.emit('done');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(emitter.listenerCount('done')).toBe(0);
  });

  it('returns whether anyone listened', () => {
    const emitter = new TypedEmitter<Events>();
    expect(emitter.emit('done')).toBe(false);
    emitter.on('done', () => {});
    expect(emitter.emit('done')).toBe(true);
  });

  it('keeps calling the other listeners when one throws, and rethrows the error on a later task', () => {
    vi.useFakeTimers();
    const emitter = new TypedEmitter<Events>();
    const after = vi.fn();
    emitter.on('tick', () => {
      throw new Error('listener bug');
    });
    emitter.on('tick', after);
    emitter.emit('tick', 1);
    expect(after).toHaveBeenCalledWith(1);
    expect(() => vi.runAllTimers()).toThrow('listener bug');
  });

  it('removes every listener at once', () => {
    const emitter = new TypedEmitter<Events>();
    emitter.on('tick', () => {});
    emitter.on('done', () => {});
    emitter.removeAllListeners();
    expect(emitter.listenerCount('tick') + emitter.listenerCount('done')).toBe(0);
  });
});
