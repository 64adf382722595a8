/**
 * Whether an event type matches a subscription pattern (DESIGN.md §3): `*`
 * matches everything, a trailing `.*` any depth below a prefix, a `*`
 * segment elsewhere exactly one segment, anything else the exact type.
 * The live view filters the same way the server does.
 */
export function matchesTypePattern(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  const parts = pattern.split('.');
  const segments = type.split('.');
  const deep = parts[parts.length - 1] === '*' && parts.length > 1;
  const fixed = deep ? parts.slice(0, -1) : parts;
  if (deep ? segments.length <= fixed.length : segments.length !== fixed.length) return false;
  return fixed.every((part, i) => part === '*' || part === segments[i]);
}

export function matchesAnyPattern(patterns: readonly string[], type: string): boolean {
  return patterns.length === 0 || patterns.some((p) => matchesTypePattern(p, type));
}
