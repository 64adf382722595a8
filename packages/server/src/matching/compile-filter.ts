import type { FilterOperators, FilterValue, Filters, HeraldEvent, Scalar } from '@herald/protocol';
import type { EventPredicate, FilterFieldResolver } from './matching.js';

/** The filter key that searches the event's text instead of reading a field. */
export const SEARCH_KEY = 'search';

type ValueTest = (value: unknown) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Compiles subscription filters (DESIGN.md §3) into one predicate; returns
 * `undefined` when `filters` has no keys, meaning every event passes.
 *
 * - Each key resolves to a dotted event path through `resolver.pathFor`;
 *   `search` is special and never resolved.
 * - A scalar means equals, an array means any of, an object applies every
 *   operator it names (`eq ne in nin gt gte lt lte contains prefix exists`).
 * - When the event's value is an array, `eq`, `in`, scalars, arrays,
 *   `gt`/`gte`/`lt`/`lte` and `prefix` hold when any element satisfies them;
 *   `ne`/`nin` hold when no element equals, including when the field is
 *   missing; `contains` is element membership (substring on a string).
 * - Equality is strict (`5` never equals `"5"`); ordering compares number
 *   with number and string with string, anything else is false.
 * - `exists` tests whether the path resolves to a value other than
 *   `undefined` (`null` exists).
 * - `search` is a case-insensitive substring over type, source and the
 *   JSON of data; an array of terms means any of.
 * - Paths are read through own properties only, so `__proto__`,
 *   `constructor` and the like resolve to `undefined` unless the data
 *   really has such a key.
 *
 * Throws a `TypeError` on input `filtersSchema` rejects (an unknown operator,
 * an empty operator object, `in` without an array).
 *
 * @example
 * const pass = compileFilter({ severity: ['error', 'critical'], 'data.latency_ms': { gte: 500 } }, resolver);
 * pass?.(event);
 */
export function compileFilter(filters: Filters, resolver: FilterFieldResolver): EventPredicate | undefined {
  const tests: EventPredicate[] = [];
  const searches: EventPredicate[] = [];
  for (const key of Object.keys(filters)) {
    const value = filters[key] as FilterValue;
    if (key === SEARCH_KEY) searches.push(compileSearch(value));
    else tests.push(compileField(key, value, resolver));
  }
  // The text search is the costliest test, so it runs after the field tests.
  return allOf([...tests, ...searches]);
}

function allOf(tests: EventPredicate[]): EventPredicate | undefined {
  const [first, second] = tests;
  if (first === undefined) return undefined;
  if (second === undefined) return first;
  if (tests.length === 2) return (event) => first(event) && second(event);
  return (event) => {
    for (let i = 0; i < tests.length; i++) {
      if (!(tests[i] as EventPredicate)(event)) return false;
    }
    return true;
  };
}

function compileField(key: string, value: FilterValue, resolver: FilterFieldResolver): EventPredicate {
  const path = resolver.pathFor(key).split('.');
  const test = compileValue(key, value, resolver.operatorFor?.(key));
  if (path.length === 1) {
    const field = path[0] as string;
    return (event) => {
      const fields = event as unknown as Record<string, unknown>;
      return test(hasOwn.call(fields, field) ? fields[field] : undefined);
    };
  }
  return (event) => test(readPath(event, path));
}

/** Reads a pre-split path through own properties; `undefined` when any step is missing. */
export function readPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (value === null || typeof value !== 'object') return undefined;
    const segment = path[i] as string;
    if (!hasOwn.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function compileValue(key: string, value: FilterValue, operator: 'eq' | 'gte' | 'lte' | undefined): ValueTest {
  if (Array.isArray(value)) return isAnyOf(value);
  if (value !== null && typeof value === 'object') return compileOperators(key, value);
  if (typeof value === 'number' && (operator === 'gte' || operator === 'lte')) return compileOrdered(operator, value);
  return isEqualTo(value);
}

function compileOperators(key: string, operators: FilterOperators): ValueTest {
  const names = Object.keys(operators);
  if (names.length === 0) throw new TypeError(`filter ${JSON.stringify(key)} names no operator`);
  const tests = names.map((name) => compileOperator(key, name, (operators as Record<string, unknown>)[name]));
  if (tests.length === 1) return tests[0] as ValueTest;
  return (value) => {
    for (let i = 0; i < tests.length; i++) {
      if (!(tests[i] as ValueTest)(value)) return false;
    }
    return true;
  };
}

function compileOperator(key: string, name: string, operand: unknown): ValueTest {
  switch (name) {
    case 'eq':
      return isEqualTo(operand as Scalar);
    case 'ne': {
      const eq = isEqualTo(operand as Scalar);
      return (value) => !eq(value);
    }
    case 'in':
      return isAnyOf(scalarArray(key, name, operand));
    case 'nin': {
      const anyOf = isAnyOf(scalarArray(key, name, operand));
      return (value) => !anyOf(value);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compileOrdered(name, operand);
    case 'contains':
      return contains(operand);
    case 'prefix':
      return hasPrefix(operand);
    case 'exists': {
      const isWanted = operand === true;
      return (value) => (value !== undefined) === isWanted;
    }
    default:
      throw new TypeError(`filter ${JSON.stringify(key)} uses the unknown operator ${JSON.stringify(name)}`);
  }
}

function scalarArray(key: string, name: string, operand: unknown): readonly Scalar[] {
  if (!Array.isArray(operand)) throw new TypeError(`filter ${JSON.stringify(key)}: "${name}" needs an array`);
  return operand as Scalar[];
}

/** Applies `test` to the value, or to each element when it is an array (any may pass). */
function anyElement(test: ValueTest): ValueTest {
  return (value) => {
    if (!Array.isArray(value)) return test(value);
    for (let i = 0; i < value.length; i++) {
      if (test(value[i])) return true;
    }
    return false;
  };
}

function isEqualTo(expected: Scalar): ValueTest {
  return anyElement((value) => value === expected);
}

function isAnyOf(options: readonly Scalar[]): ValueTest {
  // A Set keeps long option lists cheap; NaN cannot arrive through JSON, so SameValueZero equals ===.
  const set = new Set<unknown>(options);
  return anyElement((value) => set.has(value));
}

function compileOrdered(name: 'gt' | 'gte' | 'lt' | 'lte', bound: unknown): ValueTest {
  const compare = comparatorFor(bound);
  switch (name) {
    case 'gt':
      return anyElement((value) => compare(value) > 0);
    case 'gte':
      return anyElement((value) => compare(value) >= 0);
    case 'lt':
      return anyElement((value) => compare(value) < 0);
    case 'lte':
      return anyElement((value) => compare(value) <= 0);
  }
}

/** Sign of `value - bound`, or NaN (every comparison false) when the types differ. */
function comparatorFor(bound: unknown): (value: unknown) => number {
  if (typeof bound === 'number') {
    return (value) => (typeof value === 'number' ? value - bound : Number.NaN);
  }
  if (typeof bound === 'string') {
    return (value) => (typeof value !== 'string' ? Number.NaN : value < bound ? -1 : value > bound ? 1 : 0);
  }
  return () => Number.NaN;
}

function contains(needle: unknown): ValueTest {
  return (value) => {
    if (typeof value === 'string') return typeof needle === 'string' && value.includes(needle);
    return Array.isArray(value) && value.includes(needle);
  };
}

function hasPrefix(prefix: unknown): ValueTest {
  if (typeof prefix !== 'string') return () => false;
  return anyElement((value) => typeof value === 'string' && value.startsWith(prefix));
}

function compileSearch(value: FilterValue): EventPredicate {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    throw new TypeError(`filter "${SEARCH_KEY}" takes a string or an array of strings, not operators`);
  }
  const terms = (Array.isArray(value) ? value : [value]).map((term) => String(term).toLowerCase());
  if (terms.length === 1) {
    const term = terms[0] as string;
    return (event) => searchText(event).includes(term);
  }
  return (event) => {
    const text = searchText(event);
    for (let i = 0; i < terms.length; i++) {
      if (text.includes(terms[i] as string)) return true;
    }
    return false;
  };
}

// Many subscriptions test the same event, so its lowercased text is built once per event object.
const searchTexts = new WeakMap<HeraldEvent, string>();

function searchText(event: HeraldEvent): string {
  let text = searchTexts.get(event);
  if (text === undefined) {
    const data = JSON.stringify(event.data) ?? '';
    // NUL separators keep a term from matching across two fields.
    text = `${event.type}\u0000${event.source}\u0000${data}`.toLowerCase();
    searchTexts.set(event, text);
  }
  return text;
}

/**
 * An equality the filters require, for the subscription index: the event's
 * value at `path` must equal one of `values` (or, for an array value, one of
 * its elements must). `undefined` when no key is a plain equality.
 */
export interface EqualityHint {
  path: readonly string[];
  values: readonly Scalar[];
}

/** The first key of `filters` that is a plain equality or any-of, as an index hint. */
export function equalityHint(filters: Filters, resolver: FilterFieldResolver): EqualityHint | undefined {
  for (const key of Object.keys(filters)) {
    if (key === SEARCH_KEY) continue;
    const value = filters[key] as FilterValue;
    let values: readonly Scalar[] | undefined;
    if (Array.isArray(value)) values = value;
    else if (value === null || typeof value !== 'object') {
      // A number with a registry operator (`min_failure_cycles` means gte) is a comparison, not an equality.
      if (typeof value === 'number' && resolver.operatorFor?.(key) !== undefined && resolver.operatorFor(key) !== 'eq') continue;
      values = [value];
    } else {
      const ops = value as FilterOperators;
      if (ops.eq !== undefined) values = [ops.eq];
      else if (Array.isArray(ops.in)) values = ops.in;
    }
    if (values !== undefined) return { path: resolver.pathFor(key).split('.'), values };
  }
  return undefined;
}
