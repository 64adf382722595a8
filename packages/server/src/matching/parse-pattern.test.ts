import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, matchesPattern, parsePattern } from './parse-pattern.js';

const SEGMENTS = ['a', 'b', 'claude', 'repo', 'x-1', 'a_b'];
const typeArb = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
const patternArb = fc
  .array(fc.constantFrom(...SEGMENTS, '*', '*'), { minLength: 1, maxLength: 5 })
  .map((s) => s.join('.'));

/** An independent oracle: the pattern rules written as a regular expression. */
function oracle(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  const segments = pattern.split('.');
  const last = segments.length - 1;
  const parts = segments.map((s, i) => {
    if (s !== '*') return s.replace(/-/g, '\\-');
    return i === last ? '[^.]+(?:\\.[^.]+)*' : '[^.]+';
  });
  return new RegExp(`^${parts.join('\\.')}$`).test(type);
}

describe('parsePattern', () => {
  it('reads "*" alone as matching every type', () => {
    expect(parsePattern('*')).toEqual({ kind: 'all' });
  });

  it('reads a pattern without "*" segments as an exact type', () => {
    expect(parsePattern('repo.commit.created')).toEqual({ kind: 'exact', type: 'repo.commit.created' });
    expect(parsePattern('agent_request')).toEqual({ kind: 'exact', type: 'agent_request' });
  });

  it('reads a trailing ".*" as any depth below the prefix', () => {
    expect(parsePattern('claude.*')).toEqual({ kind: 'wildcard', segments: ['claude'], isAnyDepth: true });
  });

  it('reads an inner "*" as exactly one segment', () => {
    expect(parsePattern('repo.*.created')).toEqual({
      kind: 'wildcard',
      segments: ['repo', '*', 'created'],
      isAnyDepth: false,
    });
  });

  it('reads "*.*" as one segment followed by any depth', () => {
    expect(parsePattern('*.*')).toEqual({ kind: 'wildcard', segments: ['*'], isAnyDepth: true });
  });

  it.each(['', 'a.', '.a', 'a..b', 'a.b*', 'a b', '**'])('throws a TypeError on the invalid pattern %j', (p) => {
    expect(() => parsePattern(p)).toThrow(TypeError);
  });
});

describe('matchesPattern', () => {
  it('matches every type with "*"', () => {
    expect(matchesPattern('*', 'agent_request')).toBe(true);
    expect(matchesPattern('*', 'a.b.c')).toBe(true);
  });

  it('matches an exact type only', () => {
    expect(matchesPattern('repo.created', 'repo.created')).toBe(true);
    expect(matchesPattern('repo.created', 'repo.created.x')).toBe(false);
    expect(matchesPattern('repo.created', 'repo')).toBe(false);
    expect(matchesPattern('repo', 'repository')).toBe(false);
  });

  it('matches any depth of at least one below a trailing ".*" prefix', () => {
    expect(matchesPattern('claude.*', 'claude.x')).toBe(true);
    expect(matchesPattern('claude.*', 'claude.session.started')).toBe(true);
    expect(matchesPattern('claude.*', 'claude')).toBe(false);
    expect(matchesPattern('claude.*', 'claudette.x')).toBe(false);
  });

  it('matches exactly one segment with an inner "*"', () => {
    expect(matchesPattern('repo.*.created', 'repo.commit.created')).toBe(true);
    expect(matchesPattern('repo.*.created', 'repo.created')).toBe(false);
    expect(matchesPattern('repo.*.created', 'repo.a.b.created')).toBe(false);
    expect(matchesPattern('*.created', 'repo.created')).toBe(true);
    expect(matchesPattern('*.created', 'created')).toBe(false);
  });

  it('agrees with a regular-expression oracle on random patterns and types', () => {
    fc.assert(
      fc.property(patternArb, typeArb, (pattern, type) => {
        expect(matchesPattern(pattern, type)).toBe(oracle(pattern, type));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('compilePattern', () => {
  it('matches the same types as matchesPattern on random patterns and types', () => {
    fc.assert(
      fc.property(patternArb, typeArb, (pattern, type) => {
        expect(compilePattern(pattern)(type)).toBe(matchesPattern(pattern, type));
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects a type that has only the prefix of a trailing ".*" pattern', () => {
    expect(compilePattern('a.b.*')('a.b')).toBe(false);
    expect(compilePattern('a.b.*')('a.bc.d')).toBe(false);
    expect(compilePattern('a.b.*')('a.b.c')).toBe(true);
  });

  it('rejects a type shorter or longer than a one-segment pattern', () => {
    const match = compilePattern('a.*.c');
    expect(match('a.c')).toBe(false);
    expect(match('a.b.c.d')).toBe(false);
    expect(match('a.b.c')).toBe(true);
  });
});
