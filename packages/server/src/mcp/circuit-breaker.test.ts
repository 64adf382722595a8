import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

function breaker(failureThreshold = 3, openMs = 1000) {
  const clock = { nowMs: 0 };
  return { clock, b: new CircuitBreaker({ failureThreshold, openMs, now: () => clock.nowMs }) };
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold failures in a row, not before', () => {
    const { b } = breaker(3);
    expect(b.recordFailure()).toBeUndefined();
    expect(b.recordFailure()).toBeUndefined();
    expect(b.recordFailure()).toEqual({ state: 'open', previousState: 'closed', failures: 3 });
    expect(b.isPassing).toBe(false);
    expect(b.failedCycles).toBe(1);
  });

  it('forgets failures after a success while closed', () => {
    const { b } = breaker(2);
    b.recordFailure();
    b.recordSuccess();
    expect(b.recordFailure()).toBeUndefined();
    expect(b.state).toBe('closed');
  });

  it('half-opens only once openMs has passed, and one outcome decides', () => {
    const { b, clock } = breaker(1, 1000);
    b.recordFailure();
    clock.nowMs = 999;
    expect(b.tryHalfOpen()).toBeUndefined();
    clock.nowMs = 1000;
    expect(b.tryHalfOpen()).toEqual({ state: 'half_open', previousState: 'open', failures: 1 });
    expect(b.isPassing).toBe(true);
    expect(b.recordFailure()).toEqual({ state: 'open', previousState: 'half_open', failures: 2 });
    expect(b.failedCycles).toBe(2);
    expect(b.retryAtMs).toBe(2000);
    clock.nowMs = 2000;
    b.tryHalfOpen();
    expect(b.recordSuccess()).toEqual({ state: 'closed', previousState: 'half_open', failures: 0 });
    expect(b.failedCycles).toBe(0);
  });

  it('resets to closed with no history', () => {
    const { b } = breaker(1);
    b.recordFailure();
    expect(b.reset()).toEqual({ state: 'closed', previousState: 'open', failures: 0 });
    expect(b.reset()).toBeUndefined();
    expect(b.failedCycles).toBe(0);
  });

  it('follows the reference model for any sequence of outcomes and clock steps', () => {
    type Step = { kind: 'ok' } | { kind: 'fail' } | { kind: 'wait'; ms: number } | { kind: 'probe' };
    const step = fc.oneof(
      fc.constant<Step>({ kind: 'ok' }),
      fc.constant<Step>({ kind: 'fail' }),
      fc.constant<Step>({ kind: 'probe' }),
      fc.integer({ min: 0, max: 700 }).map<Step>((ms) => ({ kind: 'wait', ms })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 60 }), (threshold, steps) => {
        const { b, clock } = breaker(threshold, 500);
        // The model: the state, failures in a row, when it opened, failed cycles.
        let state: CircuitState = 'closed';
        let failures = 0;
        let openedAt = 0;
        let cycles = 0;
        for (const s of steps) {
          if (s.kind === 'wait') clock.nowMs += s.ms;
          else if (s.kind === 'probe') {
            if (state === 'open' && clock.nowMs >= openedAt + 500) state = 'half_open';
            b.tryHalfOpen();
          } else if (s.kind === 'ok') {
            failures = 0;
            if (state !== 'closed') cycles = 0;
            state = 'closed';
            b.recordSuccess();
          } else {
            failures += 1;
            if (state === 'half_open' || (state === 'closed' && failures >= threshold)) {
              state = 'open';
              openedAt = clock.nowMs;
              cycles += 1;
            }
            b.recordFailure();
          }
          expect([b.state, b.failures, b.failedCycles]).toEqual([state, failures, cycles]);
          expect(b.isPassing).toBe(state !== 'open');
        }
      }),
    );
  });
});
