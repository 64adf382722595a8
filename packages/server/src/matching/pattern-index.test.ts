import type { Filters, HeraldEvent } from '@herald/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, equalityHint } from './compile-filter.js';
import type { EventPredicate, FilterFieldResolver, IndexedSubscription } from './matching.js';
import { matchesPattern } from './parse-pattern.js';
import { PatternIndex, type PatternIndexOptions } from './pattern-index.js';

const resolver: FilterFieldResolver = { pathFor: (key) => key };

function makeEvent(type: string, overrides: Partial<HeraldEvent> = {}): HeraldEvent {
  return {
    id: 'e1',
    seq: 1,
    type,
    category: type.split('.')[0] as string,
    source: 'test',
    time: '2026-11-21T12:00:00.000Z',
    severity: 'info',
    priority: 'normal',
    data: {},
    ...overrides,
  };
}

function sub(key: string, patterns: string[], predicate?: EventPredicate): IndexedSubscription<string> {
  return { key, patterns, predicate, value: key };
}

/** The keys `index.match` visits, in visiting order (duplicates kept). */
function visited(index: PatternIndex<string>, event: HeraldEvent): string[] {
  const keys: string[] = [];
  index.match(event, (entry) => keys.push(entry.key));
  return keys;
}

function indexOf(...subs: IndexedSubscription<string>[]): PatternIndex<string> {
  const index = new PatternIndex<string>();
  for (const s of subs) index.add(s);
  return index;
}

describe('PatternIndex', () => {
  describe('add', () => {
    it('counts the subscriptions it holds', () => {
      const index = indexOf(sub('a', ['x']), sub('b', ['x.*']));
      expect(index.size).toBe(2);
    });

    it('replaces a subscription added again under the same key', () => {
      const index = indexOf(sub('a', ['x']));
      index.add(sub('a', ['y']));
      expect(index.size).toBe(1);
      expect(visited(index, makeEvent('x'))).toEqual([]);
      expect(visited(index, makeEvent('y'))).toEqual(['a']);
    });

    it('throws a TypeError and keeps the index unchanged when a pattern is invalid', () => {
      const index = indexOf(sub('a', ['x']));
      expect(() => index.add(sub('a', ['y', 'bad..pattern']))).toThrow(TypeError);
      expect(index.size).toBe(1);
      expect(visited(index, makeEvent('x'))).toEqual(['a']);
    });
  });

  describe('remove', () => {
    it('stops visiting a removed subscription', () => {
      const index = indexOf(sub('a', ['x', 'y.*', '*.z', '*']));
      index.remove('a');
      expect(index.size).toBe(0);
      for (const type of ['x', 'y.q', 'q.z', 'other']) expect(visited(index, makeEvent(type))).toEqual([]);
    });

    it('ignores a key it does not hold', () => {
      const index = indexOf(sub('a', ['x']));
      index.remove('nope');
      expect(index.size).toBe(1);
    });

    it('keeps the other subscriptions of a shared pattern', () => {
      const index = indexOf(sub('a', ['x.*.z']), sub('b', ['x.*.z']), sub('c', ['x.*.z.*']));
      index.remove('a');
      expect(visited(index, makeEvent('x.y.z'))).toEqual(['b']);
      index.remove('c');
      expect(visited(index, makeEvent('x.y.z'))).toEqual(['b']);
    });
  });

  describe('match', () => {
    it('visits an exact-type subscription for that type only', () => {
      const index = indexOf(sub('a', ['repo.created']));
      expect(visited(index, makeEvent('repo.created'))).toEqual(['a']);
      expect(visited(index, makeEvent('repo.created.x'))).toEqual([]);
      expect(visited(index, makeEvent('repo'))).toEqual([]);
    });

    it('visits a "*" subscription for every type', () => {
      const index = indexOf(sub('a', ['*']));
      expect(visited(index, makeEvent('agent_request'))).toEqual(['a']);
      expect(visited(index, makeEvent('a.b.c'))).toEqual(['a']);
    });

    it('visits a trailing ".*" subscription at any depth below its prefix but not at the prefix', () => {
      const index = indexOf(sub('a', ['claude.*']));
      expect(visited(index, makeEvent('claude.x'))).toEqual(['a']);
      expect(visited(index, makeEvent('claude.session.started'))).toEqual(['a']);
      expect(visited(index, makeEvent('claude'))).toEqual([]);
    });

    it('visits an inner "*" subscription for exactly one segment', () => {
      const index = indexOf(sub('a', ['repo.*.created']));
      expect(visited(index, makeEvent('repo.commit.created'))).toEqual(['a']);
      expect(visited(index, makeEvent('repo.created'))).toEqual([]);
      expect(visited(index, makeEvent('repo.a.b.created'))).toEqual([]);
    });

    it('visits a subscription once when two of its patterns match', () => {
      const index = indexOf(sub('a', ['repo.commit.created', 'repo.*', 'repo.*.created', '*', 'repo.commit.created']));
      expect(visited(index, makeEvent('repo.commit.created'))).toEqual(['a']);
    });

    it('visits only the subscriptions whose predicate passes', () => {
      const isError: EventPredicate = (event) => event.severity === 'error';
      const index = indexOf(sub('a', ['x'], isError), sub('b', ['x']));
      expect(visited(index, makeEvent('x')).sort()).toEqual(['b']);
      expect(visited(index, makeEvent('x', { severity: 'error' })).sort()).toEqual(['a', 'b']);
    });

    it('visits a subscription added after its type was last matched', () => {
      const index = indexOf(sub('a', ['x.y']));
      expect(visited(index, makeEvent('x.y'))).toEqual(['a']);
      index.add(sub('b', ['x.y']));
      expect(visited(index, makeEvent('x.y')).sort()).toEqual(['a', 'b']);
      index.add(sub('c', ['x.*']));
      index.add(sub('d', ['*']));
      expect(visited(index, makeEvent('x.y')).sort()).toEqual(['a', 'b', 'c', 'd']);
    });

    it('stops visiting a subscription removed after its type was last matched', () => {
      const index = indexOf(sub('a', ['x.y']), sub('b', ['x.*']), sub('c', ['*']));
      expect(visited(index, makeEvent('x.y')).sort()).toEqual(['a', 'b', 'c']);
      index.remove('a');
      index.remove('b');
      expect(visited(index, makeEvent('x.y'))).toEqual(['c']);
    });

    it('stays correct when more types are matched than the cache holds', () => {
      const index = new PatternIndex<string>({ maxCachedTypes: 2 });
      index.add(sub('a', ['t.*']));
      for (let round = 0; round < 3; round++) {
        for (const type of ['t.1', 't.2', 't.3', 'u']) {
          expect(visited(index, makeEvent(type))).toEqual(type === 'u' ? [] : ['a']);
        }
      }
    });

    it('finishes the current match unchanged when visit removes a subscription', () => {
      const index = indexOf(sub('a', ['x']), sub('b', ['x']));
      const keys: string[] = [];
      index.match(makeEvent('x'), (entry) => {
        keys.push(entry.key);
        index.remove(entry.key === 'a' ? 'b' : 'a');
      });
      expect(keys.sort()).toEqual(['a', 'b']);
      expect(index.size).toBe(0);
    });
  });

  describe('against a brute-force scan', () => {
    const SEGMENTS = ['a', 'b', 'c'];
    // A few recurring types exercise the per-type cache across adds and removals.
    const recurringTypeArb = fc.constantFrom('a', 'a.b', 'a.b.c', 'b.a');
    const typeArb = fc.oneof(
      recurringTypeArb,
      fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }).map((s) => s.join('.')),
    );
    const patternArb = fc.oneof(
      { arbitrary: fc.constant('*'), weight: 1 },
      { arbitrary: recurringTypeArb, weight: 3 },
      {
        arbitrary: fc.array(fc.constantFrom(...SEGMENTS, '*'), { minLength: 1, maxLength: 4 }).map((s) => s.join('.')),
        weight: 8,
      },
    );
    const severityArb = fc.constantFrom('info' as const, 'warning' as const, 'error' as const);
    const filtersArb: fc.Arbitrary<Filters> = fc.record(
      {
        severity: fc.oneof(severityArb, fc.subarray(['info', 'warning', 'error']), fc.record({ ne: severityArb })),
        'data.n': fc.oneof(
          fc.integer({ min: 0, max: 3 }),
          fc.record({ gte: fc.integer({ min: 0, max: 3 }) }),
          fc.record({ lt: fc.integer({ min: 0, max: 3 }), exists: fc.boolean() }, { requiredKeys: ['lt'] }),
          fc.record({ exists: fc.boolean() }),
        ),
        'data.tags': fc.oneof(fc.constantFrom('p', 'q'), fc.record({ contains: fc.constantFrom('p', 'q') })),
      },
      { requiredKeys: [] },
    );
    const eventArb = fc
      .record({
        type: typeArb,
        severity: severityArb,
        data: fc.record(
          { n: fc.integer({ min: 0, max: 3 }), tags: fc.subarray(['p', 'q']) },
          { requiredKeys: [] },
        ),
      })
      .map(({ type, severity, data }) => makeEvent(type, { severity, data }));
    const keyArb = fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7');
    type Op =
      | { op: 'add'; key: string; patterns: string[]; filters: Filters }
      | { op: 'remove'; key: string }
      | { op: 'check'; event: HeraldEvent };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('add' as const),
        key: keyArb,
        patterns: fc.array(patternArb, { minLength: 1, maxLength: 3 }),
        filters: fc.option(filtersArb, { nil: {} }),
      }),
      fc.record({ op: fc.constant('remove' as const), key: keyArb }),
      fc.record({ op: fc.constant('check' as const), event: eventArb }),
    );
    const optionsArb: fc.Arbitrary<PatternIndexOptions> = fc.oneof(
      fc.constant({}),
      fc.record({ maxCachedTypes: fc.integer({ min: 1, max: 4 }) }),
    );

    function bruteForce(model: Map<string, IndexedSubscription<string>>, event: HeraldEvent): string[] {
      return [...model.values()]
        .filter((s) => s.patterns.some((p) => matchesPattern(p, event.type)))
        .filter((s) => s.predicate === undefined || s.predicate(event))
        .map((s) => s.key);
    }

    it('visits exactly what a scan with matchesPattern and the predicate finds, through adds and removals', () => {
      fc.assert(
        fc.property(optionsArb, fc.array(opArb, { maxLength: 40, size: 'max' }), (options, ops) => {
          const index = new PatternIndex<string>(options);
          const model = new Map<string, IndexedSubscription<string>>();
          for (const step of ops) {
            if (step.op === 'add') {
              // Half the subscriptions go through the equality buckets, half are tested one by one.
              const entry = sub(step.key, step.patterns, compileFilter(step.filters, resolver));
              if (Number(step.key.slice(1)) % 2 === 0) entry.hint = equalityHint(step.filters, resolver);
              index.add(entry);
              model.set(step.key, entry);
            } else if (step.op === 'remove') {
              index.remove(step.key);
              model.delete(step.key);
            } else {
              const keys = visited(index, step.event);
              expect(new Set(keys).size).toBe(keys.length);
              expect(keys.sort()).toEqual(bruteForce(model, step.event).sort());
            }
            expect(index.size).toBe(model.size);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
