import { TYPE_PATTERN_PATTERN } from '@herald/protocol';

/**
 * A type pattern taken apart (DESIGN.md §3):
 * - `all`: the pattern `*`, every type.
 * - `exact`: no `*` segment; matches that one type.
 * - `wildcard`: `segments` must match the type's leading segments one for
 *   one, a `*` segment matching any single segment. When `isAnyDepth`, the
 *   pattern ended in `.*` (not kept in `segments`) and the type needs at
 *   least one more segment, of any depth; otherwise it must end there.
 */
export type ParsedPattern =
  | { readonly kind: 'all' }
  | { readonly kind: 'exact'; readonly type: string }
  | { readonly kind: 'wildcard'; readonly segments: readonly string[]; readonly isAnyDepth: boolean };

/** Tests an event type against one compiled pattern. */
export type TypeMatcher = (type: string) => boolean;

const ALL: ParsedPattern = Object.freeze({ kind: 'all' });

/**
 * Parses a type pattern.
 *
 * Throws a `TypeError` when the pattern does not match `TYPE_PATTERN_PATTERN`;
 * patterns from clients are validated with `typePatternSchema` first, so a
 * throw here is a programming error.
 *
 * @example
 * parsePattern('claude.*'); // { kind: 'wildcard', segments: ['claude'], isAnyDepth: true }
 */
export function parsePattern(pattern: string): ParsedPattern {
  if (!TYPE_PATTERN_PATTERN.test(pattern)) {
    throw new TypeError(`invalid type pattern ${JSON.stringify(pattern)}`);
  }
  if (pattern === '*') return ALL;
  const segments = pattern.split('.');
  if (!segments.includes('*')) return { kind: 'exact', type: pattern };
  const isAnyDepth = segments[segments.length - 1] === '*';
  if (isAnyDepth) segments.pop();
  return { kind: 'wildcard', segments, isAnyDepth };
}

/**
 * Compiles a pattern into a matcher that walks the type string in place,
 * without splitting it. Event types are assumed valid (`EVENT_TYPE_PATTERN`).
 * Throws like `parsePattern`.
 */
export function compilePattern(pattern: string): TypeMatcher {
  const parsed = parsePattern(pattern);
  switch (parsed.kind) {
    case 'all':
      return () => true;
    case 'exact': {
      const exact = parsed.type;
      return (type) => type === exact;
    }
    case 'wildcard': {
      const { segments, isAnyDepth } = parsed;
      return (type) => matchSegments(segments, isAnyDepth, type);
    }
  }
}

function matchSegments(segments: readonly string[], isAnyDepth: boolean, type: string): boolean {
  // `pos` is where the next unread segment of `type` starts; type.length + 1 means all were read.
  let pos = 0;
  for (const segment of segments) {
    if (pos > type.length) return false;
    let end = type.indexOf('.', pos);
    if (end === -1) end = type.length;
    if (segment !== '*' && (end - pos !== segment.length || !type.startsWith(segment, pos))) return false;
    pos = end + 1;
  }
  return isAnyDepth ? pos <= type.length : pos === type.length + 1;
}

/**
 * Reference matcher: true when `type` matches `pattern`. Deliberately plain
 * (split and compare) so it can serve as the oracle for the index and the
 * compiled matchers; use `compilePattern` or `PatternIndex` on hot paths.
 * Does not validate its arguments.
 */
export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  const want = pattern.split('.');
  const have = type.split('.');
  const isAnyDepth = want.length > 1 && want[want.length - 1] === '*';
  if (isAnyDepth) {
    want.pop();
    if (have.length <= want.length) return false;
  } else if (have.length !== want.length) {
    return false;
  }
  return want.every((segment, i) => segment === '*' || segment === have[i]);
}
