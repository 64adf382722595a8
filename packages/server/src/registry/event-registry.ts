import type {
  CategoryMetadata,
  EventTypeDefinition,
  EventTypeDefinitionInput,
  FilterableField,
  RegistryMetadata,
} from '@herald/protocol';
import type { FilterFieldResolver } from '../matching/matching.js';
import { BUILT_IN_CATEGORIES, BUILT_IN_EVENT_TYPES } from './built-in-types.js';

/** Event fields a filter key may name directly. */
const EVENT_FIELDS = new Set(['id', 'seq', 'type', 'category', 'source', 'time', 'severity', 'priority', 'correlation_id', 'org']);

function titleCase(id: string): string {
  return id.replace(/[._-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/**
 * The event types Herald knows: built-ins plus the config file's entries
 * (an entry with a built-in id overrides it field by field). Types not in the
 * registry are still accepted; their category is their first segment.
 */
export class EventRegistry implements FilterFieldResolver {
  private readonly exact = new Map<string, EventTypeDefinition>();
  /** Families (`claude.*`) by prefix, longest first. */
  private readonly families: Array<{ prefix: string; def: EventTypeDefinition }> = [];
  private readonly fieldsByName = new Map<string, FilterableField>();
  private readonly categoryLabels = new Map<string, string>();
  private readonly metadataCache: RegistryMetadata;

  constructor(extra: ReadonlyArray<EventTypeDefinitionInput> = []) {
    for (const c of BUILT_IN_CATEGORIES) this.categoryLabels.set(c.id, c.label);
    const byId = new Map<string, EventTypeDefinition>();
    for (const d of BUILT_IN_EVENT_TYPES) byId.set(d.id, d);
    for (const input of extra) byId.set(input.id, this.complete(input, byId.get(input.id)));
    for (const d of byId.values()) {
      if (d.id.endsWith('.*') && !d.id.slice(0, -2).includes('*')) this.families.push({ prefix: d.id.slice(0, -1), def: d });
      else this.exact.set(d.id, d);
      if (!this.categoryLabels.has(d.category)) this.categoryLabels.set(d.category, titleCase(d.category));
      for (const f of d.filterable_fields) if (!this.fieldsByName.has(f.name)) this.fieldsByName.set(f.name, f);
    }
    this.families.sort((a, b) => b.prefix.length - a.prefix.length);
    this.metadataCache = this.buildMetadata([...byId.values()]);
  }

  private complete(input: EventTypeDefinitionInput, base: EventTypeDefinition | undefined): EventTypeDefinition {
    const firstSegment = input.id.split('.')[0] ?? input.id;
    return {
      id: input.id,
      category: input.category ?? base?.category ?? firstSegment,
      label: input.label ?? base?.label ?? titleCase(input.id),
      description: input.description ?? base?.description ?? '',
      icon: input.icon ?? base?.icon ?? '•',
      severity_levels: input.severity_levels ?? base?.severity_levels ?? ['debug', 'info', 'success', 'warning', 'error', 'critical'],
      filterable_fields: input.filterable_fields ?? base?.filterable_fields ?? [],
    };
  }

  /** The definition that covers a type: exact, else the longest family. */
  definitionFor(type: string): EventTypeDefinition | undefined {
    const exact = this.exact.get(type);
    if (exact) return exact;
    for (const f of this.families) if (type.startsWith(f.prefix)) return f.def;
    return undefined;
  }

  /** The registry entry's category, else the type's first segment. */
  categoryFor(type: string): string {
    const d = this.definitionFor(type);
    if (d) return d.category;
    const dot = type.indexOf('.');
    return dot === -1 ? type : type.slice(0, dot);
  }

  pathFor(key: string): string {
    const field = this.fieldsByName.get(key);
    if (field) return field.path;
    if (EVENT_FIELDS.has(key) || key.startsWith('data.')) return key;
    // A bare unknown key most likely names a data field (`mcp_name` for `data.mcp_name`).
    return key.includes('.') ? key : `data.${key}`;
  }

  operatorFor(key: string): 'eq' | 'gte' | 'lte' | undefined {
    return this.fieldsByName.get(key)?.operator;
  }

  metadata(): RegistryMetadata {
    return this.metadataCache;
  }

  private buildMetadata(defs: EventTypeDefinition[]): RegistryMetadata {
    const byCategory = new Map<string, CategoryMetadata>();
    const order = [...this.categoryLabels.keys()];
    for (const id of order) byCategory.set(id, { id, label: this.categoryLabels.get(id) ?? titleCase(id), events: [] });
    for (const d of defs) byCategory.get(d.category)?.events.push(d);
    const filters = [...this.fieldsByName.values()].map((f) => {
      const out: RegistryMetadata['filters'][number] = { name: f.name, path: f.path, type: f.type };
      if (f.operator) out.operator = f.operator;
      return out;
    });
    return { categories: [...byCategory.values()].filter((c) => c.events.length > 0), filters };
  }
}
