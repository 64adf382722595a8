import { z } from 'zod';
import { SEVERITIES, type Severity } from './event.js';

export const FIELD_KINDS = ['select', 'multiselect', 'text', 'number'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/**
 * A filter a subscription builder can offer for an event type. `name` is the
 * filter key clients send; `path` is the event field it reads
 * (`mcp_names` reads `data.mcp_name`).
 */
export interface FilterableField {
  name: string;
  label: string;
  type: FieldKind;
  path: string;
  options?: string[];
  /** For number fields: the comparison the value means (`gte` for "min failure cycles"). */
  operator?: 'eq' | 'gte' | 'lte';
}

export interface EventTypeDefinition {
  /** An exact type (`mcp_status_change`) or a family pattern (`claude.*`). */
  id: string;
  category: string;
  label: string;
  description: string;
  icon: string;
  severity_levels: Severity[];
  filterable_fields: FilterableField[];
}

export interface CategoryMetadata {
  id: string;
  label: string;
  events: EventTypeDefinition[];
}

/** The reply of `get_metadata` and `GET /api/events/metadata`. */
export interface RegistryMetadata {
  categories: CategoryMetadata[];
  /** Every filter name with the path it reads, across all types. */
  filters: Array<Pick<FilterableField, 'name' | 'path' | 'type' | 'operator'>>;
}

const FIELD_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export const filterableFieldSchema = z.strictObject({
  name: z.string().regex(FIELD_NAME, 'must be a filter name of letters, digits, "_" or "-"'),
  label: z.string().min(1),
  type: z.enum(FIELD_KINDS, { error: `must be one of ${FIELD_KINDS.join(', ')}` }),
  path: z.string().regex(FIELD_NAME, 'must be an event field path such as "data.mcp_name"'),
  options: z.array(z.string()).optional(),
  operator: z.enum(['eq', 'gte', 'lte']).optional(),
});

/** A registry entry in the config file; missing fields take defaults. */
export const eventTypeDefinitionInputSchema = z.strictObject({
  id: z.string().regex(/^(\*|[A-Za-z0-9_-]+)(\.(\*|[A-Za-z0-9_-]+))*$/, 'must be an event type or a family such as "billing.*"'),
  category: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  icon: z.string().optional(),
  severity_levels: z.array(z.enum(SEVERITIES)).optional(),
  filterable_fields: z.array(filterableFieldSchema).optional(),
});
export type EventTypeDefinitionInput = z.infer<typeof eventTypeDefinitionInputSchema>;
