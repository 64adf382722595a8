import type { HeraldEvent } from '@herald/protocol';
import type { IndexedSubscription, SubscriptionIndex } from './matching.js';
import { parsePattern, type ParsedPattern } from './parse-pattern.js';
import { readPath } from './compile-filter.js';

/** Options of a `PatternIndex`. */
export interface PatternIndexOptions {
  /**
   * Most event types whose candidate lists are cached at once; past it the
   * cache is emptied and refills from the types that recur. Default 10,000.
   */
  maxCachedTypes?: number;
}

/** The default of `PatternIndexOptions.maxCachedTypes`, in event types. */
export const DEFAULT_MAX_CACHED_TYPES = 10_000;

type Entry<T> = IndexedSubscription<T>;

/** One segment position of the wildcard patterns; a path from the root spells a pattern's segments. */
interface TrieNode<T> {
  readonly children: Map<string, TrieNode<T>>;
  /** The child for a one-segment `*`. */
  star: TrieNode<T> | undefined;
  /** Patterns that end at this node: the type must end here too. */
  readonly ending: Set<Entry<T>>;
  /** Patterns that end here in `.*`: the type must go at least one segment deeper. */
  readonly anyDepth: Set<Entry<T>>;
}

interface Held<T> {
  readonly entry: Entry<T>;
  readonly patterns: readonly ParsedPattern[];
}

/** Candidates of one path's equality hints, bucketed by the value they require. */
interface KeyedGroup<T> {
  readonly path: readonly string[];
  readonly buckets: Map<unknown, Entry<T>[]>;
}

/** The subscriptions whose patterns match one event type, split by how they are found. */
interface Candidates<T> {
  /** Tested one by one. */
  readonly plain: readonly Entry<T>[];
  /** Found by the event's value at each group's path. */
  readonly keyed: readonly KeyedGroup<T>[];
}

const NO_CANDIDATES: Candidates<never> = Object.freeze({ plain: Object.freeze([]), keyed: Object.freeze([]) });

/** Splits a candidate list into plain entries and equality buckets per path. */
function groupCandidates<T>(entries: readonly Entry<T>[]): Candidates<T> {
  if (entries.length === 0) return NO_CANDIDATES;
  const plain: Entry<T>[] = [];
  const groups = new Map<string, KeyedGroup<T>>();
  for (const entry of entries) {
    const hint = entry.hint;
    if (hint === undefined || hint.values.length === 0) {
      plain.push(entry);
      continue;
    }
    const pathKey = hint.path.join('.');
    let group = groups.get(pathKey);
    if (group === undefined) groups.set(pathKey, (group = { path: hint.path, buckets: new Map() }));
    for (const value of new Set(hint.values)) {
      let bucket = group.buckets.get(value);
      if (bucket === undefined) group.buckets.set(value, (bucket = []));
      bucket.push(entry);
    }
  }
  return { plain, keyed: [...groups.values()] };
}

function newNode<T>(): TrieNode<T> {
  return { children: new Map(), star: undefined, ending: new Set(), anyDepth: new Set() };
}

/**
 * A `SubscriptionIndex` keyed by type pattern: exact types in a map,
 * wildcard patterns in a segment trie, and `*` in a match-all set. An event
 * is tested only against the subscriptions whose patterns can match its
 * type, and each at most once even when several of its patterns match.
 *
 * The candidate list of each event type is cached until the next `add` or
 * `remove` that can change it. `match` walks a snapshot, so changes made by
 * `visit` take effect from the next `match`.
 *
 * @example
 * const index = new PatternIndex<Connection>();
 * index.add({ key: 'c1/sub_1', patterns: ['claude.*'], predicate: undefined, value: conn });
 * index.match(event, (entry) => entry.value.deliver(event));
 */
export class PatternIndex<T> implements SubscriptionIndex<T> {
  private readonly held = new Map<string, Held<T>>();
  private readonly exact = new Map<string, Set<Entry<T>>>();
  private readonly matchAll = new Set<Entry<T>>();
  private readonly root: TrieNode<T> = newNode();
  private readonly candidates = new Map<string, Candidates<T>>();
  private readonly maxCachedTypes: number;

  constructor(options: PatternIndexOptions = {}) {
    this.maxCachedTypes = options.maxCachedTypes ?? DEFAULT_MAX_CACHED_TYPES;
  }

  get size(): number {
    return this.held.size;
  }

  /**
   * Adds a subscription, replacing any held under the same key. Throws a
   * `TypeError`, leaving the index unchanged, when a pattern is invalid.
   */
  add(entry: IndexedSubscription<T>): void {
    const patterns = [...new Set(entry.patterns)].map(parsePattern);
    this.remove(entry.key);
    this.held.set(entry.key, { entry, patterns });
    for (const pattern of patterns) {
      this.place(pattern, entry);
      this.invalidate(pattern);
    }
  }

  remove(key: string): void {
    const held = this.held.get(key);
    if (held === undefined) return;
    this.held.delete(key);
    for (const pattern of held.patterns) {
      this.unplace(pattern, held.entry);
      this.invalidate(pattern);
    }
  }

  match(event: HeraldEvent, visit: (entry: IndexedSubscription<T>) => void): void {
    const { plain, keyed } = this.candidatesFor(event.type);
    for (let i = 0; i < plain.length; i++) {
      const entry = plain[i] as Entry<T>;
      if (entry.predicate === undefined || entry.predicate(event)) visit(entry);
    }
    for (let g = 0; g < keyed.length; g++) {
      const group = keyed[g] as KeyedGroup<T>;
      const value = readPath(event, group.path);
      if (value === undefined) continue; // a missing field equals nothing
      if (!Array.isArray(value)) {
        const bucket = group.buckets.get(value);
        if (bucket !== undefined) visitBucket(bucket, event, visit, undefined);
        continue;
      }
      // An array matches when any element does; a subscription in several buckets is visited once.
      const seen = new Set<Entry<T>>();
      for (const element of value) {
        const bucket = group.buckets.get(element);
        if (bucket !== undefined) visitBucket(bucket, event, visit, seen);
      }
    }
  }

  private place(pattern: ParsedPattern, entry: Entry<T>): void {
    switch (pattern.kind) {
      case 'all':
        this.matchAll.add(entry);
        return;
      case 'exact': {
        let set = this.exact.get(pattern.type);
        if (set === undefined) this.exact.set(pattern.type, (set = new Set()));
        set.add(entry);
        return;
      }
      case 'wildcard': {
        let node = this.root;
        for (const segment of pattern.segments) node = childOf(node, segment);
        (pattern.isAnyDepth ? node.anyDepth : node.ending).add(entry);
      }
    }
  }

  private unplace(pattern: ParsedPattern, entry: Entry<T>): void {
    switch (pattern.kind) {
      case 'all':
        this.matchAll.delete(entry);
        return;
      case 'exact': {
        const set = this.exact.get(pattern.type);
        set?.delete(entry);
        if (set?.size === 0) this.exact.delete(pattern.type);
        return;
      }
      case 'wildcard':
        removeFromTrie(this.root, pattern.segments, pattern.isAnyDepth, entry);
    }
  }

  /** Drops the cached candidate lists a change of `pattern` can affect. */
  private invalidate(pattern: ParsedPattern): void {
    if (pattern.kind === 'exact') this.candidates.delete(pattern.type);
    else this.candidates.clear();
  }

  private candidatesFor(type: string): Candidates<T> {
    let list = this.candidates.get(type);
    if (list === undefined) {
      list = groupCandidates(this.collect(type));
      if (this.candidates.size >= this.maxCachedTypes) this.candidates.clear();
      this.candidates.set(type, list);
    }
    return list;
  }

  /** Every subscription with a pattern matching `type`, each once. */
  private collect(type: string): readonly Entry<T>[] {
    const found = new Set<Entry<T>>(this.matchAll);
    const exact = this.exact.get(type);
    if (exact !== undefined) for (const entry of exact) found.add(entry);
    if (this.root.children.size > 0 || this.root.star !== undefined) {
      collectFromTrie(this.root, type.split('.'), 0, found);
    }
    return [...found];
  }
}

function childOf<T>(node: TrieNode<T>, segment: string): TrieNode<T> {
  if (segment === '*') return (node.star ??= newNode());
  let child = node.children.get(segment);
  if (child === undefined) node.children.set(segment, (child = newNode()));
  return child;
}

function visitBucket<T>(bucket: readonly Entry<T>[], event: HeraldEvent, visit: (entry: Entry<T>) => void, seen: Set<Entry<T>> | undefined): void {
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i] as Entry<T>;
    if (seen !== undefined) {
      if (seen.has(entry)) continue;
      seen.add(entry);
    }
    if (entry.predicate === undefined || entry.predicate(event)) visit(entry);
  }
}

function collectFromTrie<T>(node: TrieNode<T>, segments: readonly string[], depth: number, found: Set<Entry<T>>): void {
  if (depth === segments.length) {
    for (const entry of node.ending) found.add(entry);
    return;
  }
  for (const entry of node.anyDepth) found.add(entry);
  const child = node.children.get(segments[depth] as string);
  if (child !== undefined) collectFromTrie(child, segments, depth + 1, found);
  if (node.star !== undefined) collectFromTrie(node.star, segments, depth + 1, found);
}

/** Removes `entry` from the node `segments` leads to, then prunes the nodes left empty. */
function removeFromTrie<T>(root: TrieNode<T>, segments: readonly string[], isAnyDepth: boolean, entry: Entry<T>): void {
  const path: TrieNode<T>[] = [root];
  for (const segment of segments) {
    const parent = path[path.length - 1] as TrieNode<T>;
    const next = segment === '*' ? parent.star : parent.children.get(segment);
    if (next === undefined) return;
    path.push(next);
  }
  const last = path[path.length - 1] as TrieNode<T>;
  (isAnyDepth ? last.anyDepth : last.ending).delete(entry);
  for (let depth = segments.length; depth > 0; depth--) {
    const node = path[depth] as TrieNode<T>;
    if (!isEmpty(node)) return;
    const parent = path[depth - 1] as TrieNode<T>;
    const segment = segments[depth - 1] as string;
    if (segment === '*') parent.star = undefined;
    else parent.children.delete(segment);
  }
}

function isEmpty<T>(node: TrieNode<T>): boolean {
  return node.children.size === 0 && node.star === undefined && node.ending.size === 0 && node.anyDepth.size === 0;
}
