import { describe, expect, it } from 'vitest';
import { TokenExpiry, type Timers } from './token-expiry.js';

/** A manual clock: advance() fires due timers in order. */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      pending.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('TokenExpiry', () => {
  it('warns before expiry, reports expiry, then ends the grace period', () => {
    const timers = fakeTimers();
    const log: string[] = [];
    const expiry = new TokenExpiry(
      { onExpiring: () => log.push(`expiring@${timers.now()}`), onExpired: (g) => log.push(`expired@${timers.now()}+${g}`), onGraceOver: () => log.push(`over@${timers.now()}`) },
      { noticeMs: 60_000, graceMs: 30_000 },
      timers,
    );
    expiry.arm(600_000);
    timers.advance(700_000);
    expect(log).toEqual(['expiring@540000', 'expired@600000+30000', 'over@630000']);
    expect(expiry.isExpired).toBe(true);
  });

  it('warns half-way for a token shorter than the notice', () => {
    const timers = fakeTimers();
    const log: number[] = [];
    const expiry = new TokenExpiry({ onExpiring: () => log.push(timers.now()), onExpired: () => undefined, onGraceOver: () => undefined }, { noticeMs: 60_000, graceMs: 1 }, timers);
    expiry.arm(10_000);
    timers.advance(10_000);
    expect(log).toEqual([5_000]);
  });

  it('re-arming with a fresh token during the grace period cancels the close', () => {
    const timers = fakeTimers();
    let closed = false;
    const expiry = new TokenExpiry({ onExpiring: () => undefined, onExpired: () => undefined, onGraceOver: () => (closed = true) }, { noticeMs: 1_000, graceMs: 5_000 }, timers);
    expiry.arm(10_000);
    timers.advance(12_000);
    expect(expiry.isExpired).toBe(true);
    expiry.arm(100_000);
    expect(expiry.isExpired).toBe(false);
    timers.advance(20_000);
    expect(closed).toBe(false);
  });

  it('does nothing for a token that never expires', () => {
    const timers = fakeTimers();
    let called = false;
    const expiry = new TokenExpiry({ onExpiring: () => (called = true), onExpired: () => (called = true), onGraceOver: () => (called = true) }, { noticeMs: 1, graceMs: 1 }, timers);
    expiry.arm(undefined);
    timers.advance(1e9);
    expect(called).toBe(false);
  });
});
