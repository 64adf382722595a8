import type { Filters, HeraldEvent } from '@herald/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileFilter, equalityHint } from './compile-filter.js';
import type { FilterFieldResolver } from './matching.js';

const EVENT_FIELDS = new Set([
  'severity',
  'source',
  'priority',
  'type',
  'category',
  'org',
  'correlation_id',
  'id',
  'time',
]);
const REGISTRY = new Map<string, { path: string; operator?: 'gte' | 'lte' }>([
  ['mcp_names', { path: 'data.mcp_name' }],
  ['min_failure_cycles', { path: 'data.failure_cycles', operator: 'gte' }],
  ['max_latency', { path: 'data.latency_ms', operator: 'lte' }],
]);
const resolver: FilterFieldResolver = {
  pathFor: (key) => REGISTRY.get(key)?.path ?? (EVENT_FIELDS.has(key) || key.startsWith('data.') ? key : `data.${key}`),
  operatorFor: (key) => REGISTRY.get(key)?.operator,
};

function makeEvent(overrides: Partial<HeraldEvent> = {}): HeraldEvent {
  return {
    id: 'e1',
    seq: 1,
    type: 'mcp_status_change',
    category: 'mcp',
    source: 'mcp-monitor',
    time: '2026-11-21T12:00:00.000Z',
    severity: 'error',
    priority: 'high',
    correlation_id: 'req-42',
    org: 'acme',
    data: { mcp_name: 'oracle_mcp', latency_ms: 750, tags: ['db', 'prod'], nested: { level: 3, name: 'Deep' } },
    ...overrides,
  };
}

/** Compiles `filters` and applies them; an absent predicate passes everything. */
function passes(filters: Filters, event: HeraldEvent = makeEvent()): boolean {
  const predicate = compileFilter(filters, resolver);
  return predicate === undefined ? true : predicate(event);
}

describe('compileFilter', () => {
  it('returns undefined for empty filters', () => {
    expect(compileFilter({}, resolver)).toBeUndefined();
  });

  describe('keys', () => {
    it('reads a registry filter name through the path the resolver declares', () => {
      expect(passes({ mcp_names: ['oracle_mcp', 'postgres_mcp'] })).toBe(true);
      expect(passes({ mcp_names: ['postgres_mcp'] })).toBe(false);
    });

    it('reads the event fields', () => {
      expect(passes({ severity: 'error', source: 'mcp-monitor', priority: 'high', org: 'acme' })).toBe(true);
      expect(passes({ type: 'mcp_status_change', category: 'mcp', id: 'e1', correlation_id: 'req-42' })).toBe(true);
      expect(passes({ time: { gte: '2026-01-01' } })).toBe(true);
      expect(passes({ org: 'globex' })).toBe(false);
    });

    it('reads nested data through a dotted path', () => {
      expect(passes({ 'data.nested.level': 3 })).toBe(true);
      expect(passes({ 'data.nested.level': 4 })).toBe(false);
      expect(passes({ 'data.nested.missing.deeper': { exists: false } })).toBe(true);
    });

    it('reads a bare unknown key where the resolver points it', () => {
      expect(passes({ latency_ms: 750 })).toBe(true);
    });

    it('passes only when every key holds', () => {
      expect(passes({ severity: 'error', mcp_names: 'oracle_mcp' })).toBe(true);
      expect(passes({ severity: 'error', mcp_names: 'other' })).toBe(false);
      expect(passes({ severity: 'info', mcp_names: 'oracle_mcp' })).toBe(false);
      expect(passes({ severity: 'error', mcp_names: 'oracle_mcp', org: 'acme', search: 'nope' })).toBe(false);
    });

    it('reads an array element by its index', () => {
      expect(passes({ 'data.tags.1': 'prod' })).toBe(true);
    });
  });

  describe('values', () => {
    it('treats a scalar as strict equality', () => {
      expect(passes({ 'data.latency_ms': 750 })).toBe(true);
      expect(passes({ 'data.latency_ms': '750' })).toBe(false);
    });

    it('treats an array as any of', () => {
      expect(passes({ severity: ['warning', 'error'] })).toBe(true);
      expect(passes({ severity: ['warning', 'critical'] })).toBe(false);
    });

    it('matches nothing with an empty array', () => {
      expect(passes({ severity: [] })).toBe(false);
    });

    it('matches an array field when any element equals the scalar', () => {
      expect(passes({ 'data.tags': 'prod' })).toBe(true);
      expect(passes({ 'data.tags': ['staging', 'db'] })).toBe(true);
      expect(passes({ 'data.tags': 'staging' })).toBe(false);
    });

    it('matches null only against a null value, not a missing one', () => {
      expect(passes({ 'data.gone': null }, makeEvent({ data: { gone: null } }))).toBe(true);
      expect(passes({ 'data.gone': null })).toBe(false);
    });
  });

  describe('operators', () => {
    it('applies eq and ne', () => {
      expect(passes({ severity: { eq: 'error' } })).toBe(true);
      expect(passes({ severity: { ne: 'error' } })).toBe(false);
      expect(passes({ severity: { ne: 'info' } })).toBe(true);
    });

    it('holds ne and nin when the field is missing', () => {
      expect(passes({ 'data.missing': { ne: 'x' } })).toBe(true);
      expect(passes({ 'data.missing': { nin: ['x'] } })).toBe(true);
    });

    it('fails ne and nin when any array element equals', () => {
      expect(passes({ 'data.tags': { ne: 'db' } })).toBe(false);
      expect(passes({ 'data.tags': { nin: ['x', 'prod'] } })).toBe(false);
      expect(passes({ 'data.tags': { nin: ['x', 'y'] } })).toBe(true);
    });

    it('applies in and nin', () => {
      expect(passes({ priority: { in: ['high', 'critical'] } })).toBe(true);
      expect(passes({ priority: { nin: ['high', 'critical'] } })).toBe(false);
      expect(passes({ 'data.tags': { in: ['prod'] } })).toBe(true);
    });

    it('compares numbers with gt, gte, lt and lte', () => {
      expect(passes({ 'data.latency_ms': { gt: 749 } })).toBe(true);
      expect(passes({ 'data.latency_ms': { gt: 750 } })).toBe(false);
      expect(passes({ 'data.latency_ms': { gte: 750 } })).toBe(true);
      expect(passes({ 'data.latency_ms': { lt: 750 } })).toBe(false);
      expect(passes({ 'data.latency_ms': { lte: 750 } })).toBe(true);
      expect(passes({ 'data.latency_ms': { gte: 500, lt: 1000 } })).toBe(true);
      expect(passes({ 'data.latency_ms': { gte: 500, lt: 600 } })).toBe(false);
    });

    it('compares strings with strings', () => {
      expect(passes({ time: { gt: '2026-11-21T00:00:00.000Z', lt: '2026-11-22' } })).toBe(true);
      expect(passes({ source: { lt: 'a' } })).toBe(false);
    });

    it('fails a comparison between a number and a string', () => {
      expect(passes({ 'data.latency_ms': { gt: '1' } })).toBe(false);
      expect(passes({ 'data.latency_ms': { lt: '9999' } })).toBe(false);
      expect(passes({ severity: { gte: 0 } })).toBe(false);
      expect(passes({ 'data.missing': { lte: 10 } })).toBe(false);
    });

    it('compares array fields element by element', () => {
      const event = makeEvent({ data: { scores: [1, 50, 'x'] } });
      expect(passes({ 'data.scores': { gte: 40 } }, event)).toBe(true);
      expect(passes({ 'data.scores': { gt: 50 } }, event)).toBe(false);
    });

    it('finds a case-sensitive substring with contains on a string', () => {
      expect(passes({ source: { contains: 'monitor' } })).toBe(true);
      expect(passes({ source: { contains: 'Monitor' } })).toBe(false);
    });

    it('tests membership with contains on an array', () => {
      expect(passes({ 'data.tags': { contains: 'db' } })).toBe(true);
      expect(passes({ 'data.tags': { contains: 'd' } })).toBe(false);
    });

    it('fails contains on a number or a missing field', () => {
      expect(passes({ 'data.latency_ms': { contains: '7' } })).toBe(false);
      expect(passes({ 'data.missing': { contains: '' } })).toBe(false);
    });

    it('matches a string prefix, on any element of an array', () => {
      expect(passes({ source: { prefix: 'mcp-' } })).toBe(true);
      expect(passes({ source: { prefix: 'monitor' } })).toBe(false);
      expect(passes({ 'data.tags': { prefix: 'pr' } })).toBe(true);
      expect(passes({ 'data.latency_ms': { prefix: '7' } })).toBe(false);
    });

    it('tests with exists whether the path resolves to a defined value', () => {
      expect(passes({ 'data.mcp_name': { exists: true } })).toBe(true);
      expect(passes({ 'data.mcp_name': { exists: false } })).toBe(false);
      expect(passes({ 'data.missing': { exists: false } })).toBe(true);
      expect(passes({ correlation_id: { exists: false } }, makeEvent({ correlation_id: undefined }))).toBe(true);
      expect(passes({ 'data.gone': { exists: true } }, makeEvent({ data: { gone: null } }))).toBe(true);
    });

    it('throws a TypeError on an unknown operator, an empty operator object or in without an array', () => {
      expect(() => compileFilter({ severity: { like: 'x' } as never }, resolver)).toThrow(TypeError);
      expect(() => compileFilter({ severity: {} }, resolver)).toThrow(TypeError);
      expect(() => compileFilter({ severity: { in: 'error' } as never }, resolver)).toThrow(TypeError);
    });
  });

  describe('operatorFor', () => {
    it('turns a number into a minimum when the field declares gte', () => {
      expect(passes({ min_failure_cycles: 3 }, makeEvent({ data: { failure_cycles: 3 } }))).toBe(true);
      expect(passes({ min_failure_cycles: 3 }, makeEvent({ data: { failure_cycles: 5 } }))).toBe(true);
      expect(passes({ min_failure_cycles: 3 }, makeEvent({ data: { failure_cycles: 2 } }))).toBe(false);
    });

    it('turns a number into a maximum when the field declares lte', () => {
      expect(passes({ max_latency: 800 })).toBe(true);
      expect(passes({ max_latency: 700 })).toBe(false);
    });

    it('keeps arrays and operator objects as written', () => {
      expect(passes({ min_failure_cycles: [2] }, makeEvent({ data: { failure_cycles: 3 } }))).toBe(false);
      expect(passes({ min_failure_cycles: { lt: 4 } }, makeEvent({ data: { failure_cycles: 3 } }))).toBe(true);
    });
  });

  describe('search', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('matches a case-insensitive substring of the type, source or data', () => {
      expect(passes({ search: 'STATUS_change' })).toBe(true);
      expect(passes({ search: 'Monitor' })).toBe(true);
      expect(passes({ search: 'ORACLE' })).toBe(true);
      expect(passes({ search: 'deep' })).toBe(true);
      expect(passes({ search: 'timeout' })).toBe(false);
    });

    it('does not match across the type and the source', () => {
      expect(passes({ search: 'change mcp' })).toBe(false);
    });

    it('matches any of several terms', () => {
      expect(passes({ search: ['timeout', 'oracle'] })).toBe(true);
      expect(passes({ search: ['timeout', 'refused'] })).toBe(false);
    });

    it('serialises an event once however many predicates search it', () => {
      const stringify = vi.spyOn(JSON, 'stringify');
      const event = makeEvent();
      const first = compileFilter({ search: 'oracle' }, resolver);
      const second = compileFilter({ search: 'prod' }, resolver);
      expect(first?.(event)).toBe(true);
      expect(second?.(event)).toBe(true);
      expect(stringify).toHaveBeenCalledTimes(1);
    });

    it('skips the search when a field test already failed', () => {
      const stringify = vi.spyOn(JSON, 'stringify');
      expect(passes({ search: 'oracle', severity: 'info' })).toBe(false);
      expect(stringify).not.toHaveBeenCalled();
    });
  });

  describe('prototype paths', () => {
    const INHERITED_PATHS = [
      'data.__proto__',
      'data.constructor',
      'constructor',
      '__proto__',
      'data.toString',
      'data.tags.map',
      'data.nested.hasOwnProperty',
    ];

    it.each(INHERITED_PATHS)('resolves %s to undefined', (path) => {
      expect(passes({ [path]: { exists: true } })).toBe(false);
      expect(passes({ [path]: { exists: false } })).toBe(true);
      expect(passes({ [path]: { ne: 'x' } })).toBe(true);
    });

    it('does not read through the constructor to its prototype', () => {
      expect(passes({ 'data.constructor.prototype.toString': { exists: true } })).toBe(false);
      expect(passes({ '__proto__.polluted': { exists: true } })).toBe(false);
    });

    it('ignores properties added to Object.prototype', () => {
      const proto = Object.prototype as Record<string, unknown>;
      proto['polluted'] = 'yes';
      try {
        expect(passes({ 'data.polluted': 'yes' })).toBe(false);
        expect(passes({ polluted: 'yes' })).toBe(false);
      } finally {
        delete proto['polluted'];
      }
    });

    it('reads an own "__proto__" key that parsed JSON data really has', () => {
      const data: unknown = JSON.parse('{"__proto__": {"x": 1}}');
      expect(passes({ 'data.__proto__.x': 1 }, makeEvent({ data }))).toBe(true);
    });

    it('ignores filter keys inherited by the filters object', () => {
      const filters = Object.create({ severity: 'info' }) as Filters;
      expect(compileFilter(filters, resolver)).toBeUndefined();
    });
  });
});

describe('equalityHint', () => {
  const resolver = { pathFor: (k: string) => (k === 'mcp_names' ? 'data.mcp_name' : k), operatorFor: (k: string) => (k === 'min_cycles' ? ('gte' as const) : undefined) };

  it('takes the first plain equality or any-of, through the registry path', () => {
    expect(equalityHint({ search: 'x', mcp_names: ['a', 'b'], severity: 'error' }, resolver)).toEqual({ path: ['data', 'mcp_name'], values: ['a', 'b'] });
    expect(equalityHint({ 'data.n': { gt: 1 }, 'data.g': 3 }, resolver)).toEqual({ path: ['data', 'g'], values: [3] });
    expect(equalityHint({ 'data.g': { eq: 'x', ne: 'y' } }, resolver)).toEqual({ path: ['data', 'g'], values: ['x'] });
    expect(equalityHint({ 'data.g': { in: [1, 2] } }, resolver)).toEqual({ path: ['data', 'g'], values: [1, 2] });
  });

  it('gives none for comparisons, registry number operators and search alone', () => {
    expect(equalityHint({ 'data.n': { gte: 5 } }, resolver)).toBeUndefined();
    expect(equalityHint({ min_cycles: 3 }, resolver)).toBeUndefined();
    expect(equalityHint({ search: 'timeout' }, resolver)).toBeUndefined();
  });
});
