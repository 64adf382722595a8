import type { EventTypeDefinition, FilterableField, Filters, RegistryMetadata } from '@herald/protocol';

/** A filter control's value as the form holds it. */
export type FieldValue = string | string[];

/** The fields the selected types offer, once each (several types share `severity`, `mcp_names`, …). */
export function fieldsFor(types: readonly EventTypeDefinition[]): FilterableField[] {
  const byName = new Map<string, FilterableField>();
  for (const type of types) {
    for (const field of type.filterable_fields) {
      const known = byName.get(field.name);
      if (!known) byName.set(field.name, field);
      else if (field.options && known.options) {
        byName.set(field.name, { ...known, options: [...new Set([...known.options, ...field.options])] });
      }
    }
  }
  return [...byName.values()];
}

/** Turns the form's values into Herald filters, leaving out what is empty. */
export function toFilters(fields: readonly FilterableField[], values: Readonly<Record<string, FieldValue>>): Filters | undefined {
  const filters: Filters = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) filters[field.name] = value;
      continue;
    }
    const text = value.trim();
    if (!text) continue;
    if (field.type === 'number') {
      const n = Number(text);
      if (Number.isFinite(n)) filters[field.name] = n;
    } else {
      filters[field.name] = text;
    }
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
}

/** Every event type definition in the registry, by id. */
export function definitionsById(metadata: RegistryMetadata | undefined): Map<string, EventTypeDefinition> {
  return new Map((metadata?.categories ?? []).flatMap((c) => c.events.map((e) => [e.id, e] as const)));
}
