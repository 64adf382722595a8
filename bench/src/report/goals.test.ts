import { describe, expect, it } from 'vitest';
import type { CombinedRow } from './combine.js';
import { checkGoals } from './goals.js';

const row = (target: CombinedRow['target'], metrics: Record<string, number>, caseLabel = 'c'): CombinedRow => ({
  caseLabel,
  target,
  status: 'ok',
  metrics,
  reps: 1,
  notes: [],
});

describe('checkGoals', () => {
  it('checks only the scenarios that ran', () => {
    const checks = checkGoals({ S1: [row('herald', { p99Ms: 1.5, undelivered: 0 })] });
    expect(checks).toEqual([
      { scenario: 'S1', goal: 'p99 ≤ 2 ms, nothing undelivered', measured: 'p99 1.50 ms, 0 undelivered', isMet: true },
    ]);
  });

  it('compares S3 with its peers and leaves the check undecided when a peer is missing', () => {
    const met = checkGoals({
      S3: [
        row('herald', { deliveriesPerS: 900_000, p99Ms: 20 }),
        row('ws-once', { deliveriesPerS: 1_000_000 }),
        row('socket.io', { deliveriesPerS: 250_000 }),
      ],
    });
    expect(met[0]!.isMet).toBe(true);
    const undecided = checkGoals({ S3: [row('herald', { deliveriesPerS: 900_000, p99Ms: 20 })] });
    expect(undecided[0]!.isMet).toBeUndefined();
  });

  it('judges the ws-client rows of S3 against the peers of the same client kind', () => {
    const ws = ' · ws client defaults, 1 event/message';
    const checks = checkGoals({
      S3: [
        row('herald', { deliveriesPerS: 900_000, p99Ms: 20 }),
        row('ws-once', { deliveriesPerS: 1_000_000 }),
        row('socket.io', { deliveriesPerS: 250_000 }),
        row('herald', { deliveriesPerS: 300_000, p99Ms: 20 }, `c${ws}`),
        row('ws-once', { deliveriesPerS: 600_000 }, `c${ws}`),
        row('socket.io', { deliveriesPerS: 90_000 }, `c${ws}`),
      ],
    });
    expect(checks.map((c) => [c.goal, c.isMet])).toEqual([
      ['≥ 0.8 × ws-once, ≥ 3 × socket.io, p99 ≤ 50 ms', true],
      ['≥ 0.8 × ws-once, ≥ 3 × socket.io, p99 ≤ 50 ms (ws client defaults)', false],
    ]);
  });

  it('takes the best WS and the best one-event HTTP case for S6', () => {
    const checks = checkGoals({
      S6: [
        row('herald', { eventsPerS: 60_000 }, 'WS, 20 publishers, 100 events/publish'),
        row('herald', { eventsPerS: 9_000 }, 'HTTP, 20 publishers, 1 event/request'),
      ],
    });
    expect(checks[0]).toMatchObject({ measured: 'WS 60,000/s, HTTP 9,000/s', isMet: false });
  });
});

describe('checkGoals for S5', () => {
  it('judges memory per connection on the worst case, for each client kind', () => {
    const checks = checkGoals({
      S5: [
        row('herald', { connections: 5_000, kibPerConnection: 9.1 }, '5,000 connections'),
        row('herald', { connections: 20_000, kibPerConnection: 9.8 }, '20,000 connections'),
        row('herald', { connections: 5_000, kibPerConnection: 11.4 }, '5,000 connections · ws client defaults'),
        row('herald', { connections: 20_000, kibPerConnection: 8.0 }, '20,000 connections · ws client defaults'),
      ],
    });
    expect(checks).toMatchObject([
      { goal: '≤ 10 KiB per idle connection', measured: '9.8 KiB (worst case)', isMet: true },
      { goal: '≤ 10 KiB per idle connection (ws client defaults)', measured: '11.4 KiB (worst case)', isMet: false },
    ]);
  });
});
