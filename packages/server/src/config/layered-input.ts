import { formatPath } from '@herald/protocol';

/** Where a value came from, for messages. */
export type Origin =
  | { kind: 'env'; name: string; text: string }
  | { kind: 'flag'; flag: string; text: string }
  | { kind: 'file'; label: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The input the schema validates, assembled source by source, remembering
 * which source set each path so that a problem can name it.
 */
export class LayeredInput {
  readonly values: Record<string, unknown> = {};
  private readonly origins = new Map<string, Origin>();

  set(segments: string[], value: unknown, origin: Origin): void {
    let target = this.values;
    for (const segment of segments.slice(0, -1)) {
      if (!isPlainObject(target[segment])) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    const pathText = segments.join('.');
    // A replaced value takes its children with it, and their origins.
    for (const known of this.origins.keys()) if (known.startsWith(`${pathText}.`)) this.origins.delete(known);
    target[segments.at(-1) as string] = value;
    this.origins.set(pathText, origin);
  }

  /** Deep-merges a file's values: objects merge key by key, anything else replaces. */
  merge(values: Record<string, unknown>, origin: Origin, prefix: string[] = []): void {
    for (const [key, value] of Object.entries(values)) {
      const segments = [...prefix, key];
      const existing = this.get(segments);
      if (isPlainObject(value) && isPlainObject(existing)) {
        this.origins.set(segments.join('.'), origin);
        this.merge(value, origin, segments);
      } else {
        this.set(segments, value, origin);
      }
    }
  }

  get(segments: ReadonlyArray<PropertyKey>): unknown {
    let node: unknown = this.values;
    for (const segment of segments) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<PropertyKey, unknown>)[segment];
    }
    return node;
  }

  /** The source of the most specific recorded path that contains `segments`. */
  originOf(segments: ReadonlyArray<PropertyKey>): Origin | undefined {
    for (let n = segments.length; n > 0; n -= 1) {
      const origin = this.origins.get(formatPath(segments.slice(0, n)));
      if (origin) return origin;
    }
    return undefined;
  }
}
