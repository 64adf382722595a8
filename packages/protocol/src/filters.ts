import { z } from 'zod';

/**
 * A subscription pattern: `*` alone matches every type; a trailing `.*`
 * matches any depth below a prefix; a `*` segment elsewhere matches exactly
 * one segment; anything else is an exact type.
 */
export const TYPE_PATTERN_PATTERN = /^(\*|[A-Za-z0-9_-]+)(\.(\*|[A-Za-z0-9_-]+))*$/;

export const typePatternSchema = z
  .string({ error: 'must be a string pattern such as "claude.*", "repo.*.created" or "*"' })
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(
    TYPE_PATTERN_PATTERN,
    'must be "*", an event type, or dot-separated segments where "*" stands for one segment (or any depth when last)',
  );

export type Scalar = string | number | boolean | null;

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'prefix', 'exists'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Operators of one filter key; all given must hold. */
export interface FilterOperators {
  eq?: Scalar;
  ne?: Scalar;
  in?: Scalar[];
  nin?: Scalar[];
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  contains?: string;
  prefix?: string;
  exists?: boolean;
}

/** A scalar (equals), an array (any of), or an operator object. */
export type FilterValue = Scalar | Scalar[] | FilterOperators;

/**
 * Keys are registry filter names (`mcp_names`) or event field paths
 * (`severity`, `data.latency_ms`); `search` is a case-insensitive text match
 * over type, source and data. All keys must hold.
 */
export type Filters = Record<string, FilterValue>;

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, number, boolean or null',
});
const orderedSchema = z.union([z.number(), z.string()], { error: 'must be a number or a string' });

const operatorsSchema = z
  .strictObject(
    {
      eq: scalarSchema.optional(),
      ne: scalarSchema.optional(),
      in: z.array(scalarSchema).optional(),
      nin: z.array(scalarSchema).optional(),
      gt: orderedSchema.optional(),
      gte: orderedSchema.optional(),
      lt: orderedSchema.optional(),
      lte: orderedSchema.optional(),
      contains: z.string().optional(),
      prefix: z.string().optional(),
      exists: z.boolean().optional(),
    },
    { error: `operators must be among ${FILTER_OPERATORS.join(', ')}` },
  )
  .refine((o) => Object.keys(o).length > 0, 'must name at least one operator');

export const filterValueSchema: z.ZodType<FilterValue> = z.union([scalarSchema, z.array(scalarSchema), operatorsSchema], {
  error: `must be a scalar, an array of scalars, or an object of operators (${FILTER_OPERATORS.join(', ')})`,
});

const FILTER_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const filtersSchema = z
  .record(
    z.string().regex(FILTER_KEY, 'filter keys must be field names or dotted paths such as "data.mcp_name"'),
    filterValueSchema,
  )
  .refine(
    (f) => !Object.hasOwn(f, '__proto__') && !Object.hasOwn(f, 'constructor') && !Object.hasOwn(f, 'prototype'),
    'filter keys may not be __proto__, constructor or prototype',
  );
