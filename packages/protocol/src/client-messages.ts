import { z } from 'zod';
import { filtersSchema, typePatternSchema, type Filters } from './filters.js';
import { describeProblems, problemsFromZod } from './issues.js';
import { type DecodeResult, fail, ok } from './result.js';

/** Echoed in the reply so a client can pair requests and replies. */
export type RequestId = string | number;

const requestIdSchema = z.union([z.string().max(128), z.number().finite()], {
  error: 'must be a string (at most 128 characters) or a number',
});

/** Most patterns one subscription may name (the configured limit may be lower). */
export const MAX_PATTERNS_PER_SUBSCRIPTION = 100;

/** Where a subscription's replay starts: a seq, an ISO time, or "latest" (no replay). */
export type SinceValue = number | string;

const sinceSchema = z.union(
  [
    z.number().int('must be a whole seq').nonnegative('must be a non-negative seq'),
    z.literal('latest'),
    z.literal('earliest'),
    z.string().refine((s) => /^\d+$/.test(s) || !Number.isNaN(Date.parse(s)), 'must be a seq, an ISO 8601 time, "latest" or "earliest"'),
  ],
  { error: 'must be a seq, an ISO 8601 time, "latest" or "earliest"' },
);

const patternsSchema = z
  .array(typePatternSchema, { error: 'must be a non-empty array of patterns such as ["claude.*"]' })
  .min(1, 'must be a non-empty array of patterns such as ["claude.*"]')
  .max(MAX_PATTERNS_PER_SUBSCRIPTION, `must name at most ${MAX_PATTERNS_PER_SUBSCRIPTION} patterns`);

export const subscribeParamsSchema = z.object({
  event_types: patternsSchema,
  filters: filtersSchema.optional(),
  since: sinceSchema.optional(),
  subscription_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, "_", ".", ":" or "-"').optional(),
  correlation_id: z.string().max(200).optional(),
});

export interface SubscribeParams {
  event_types: string[];
  filters?: Filters;
  since?: SinceValue;
  subscription_id?: string;
  correlation_id?: string;
}

export const unsubscribeParamsSchema = z
  .object({
    subscription_id: z.string().min(1).max(64).optional(),
    event_types: patternsSchema.optional(),
  })
  .refine((p) => p.subscription_id !== undefined || p.event_types !== undefined, {
    message: 'give subscription_id, or event_types to drop those patterns',
    path: ['subscription_id'],
  });

/** A client message as decoded; `params` holds everything but action and id. */
export type ClientMessage =
  | { action: 'ping'; id?: RequestId; timestamp?: unknown }
  | { action: 'get_metadata'; id?: RequestId }
  | ({ action: 'subscribe'; id?: RequestId } & SubscribeParams)
  | { action: 'unsubscribe'; id?: RequestId; subscription_id?: string; event_types?: string[] }
  | { action: 'list_subscriptions'; id?: RequestId }
  | { action: 'publish'; id?: RequestId; event?: unknown; events?: unknown[] }
  | { action: 'history'; id?: RequestId; query: unknown }
  | { action: 'auth'; id?: RequestId; token: string }
  | { action: 'context_switch'; id?: RequestId; org: string }
  | { action: 'call'; id?: RequestId; tool: string; params: unknown }
  | { action: string; id?: RequestId; route: true; params: Record<string, unknown> };

export const BUILT_IN_ACTIONS = [
  'ping',
  'get_metadata',
  'subscribe',
  'unsubscribe',
  'list_subscriptions',
  'publish',
  'history',
  'auth',
  'context_switch',
  'call',
] as const;
export type BuiltInAction = (typeof BUILT_IN_ACTIONS)[number];

const ACTION_NAME = /^[$A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/** Keys that would poison a prototype if copied naively; refused anywhere in a frame. */
const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting of objects and arrays accepted in a frame. */
export const MAX_FRAME_DEPTH = 32;

/** What one walk over a parsed frame found: nesting too deep, or a poison key. */
type FrameProblem = { kind: 'depth' } | { kind: 'poison'; key: string } | undefined;

/** One walk for both checks, stopping at the first problem (frames are walked once per message). */
function inspectFrame(value: unknown, depth: number): FrameProblem {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_FRAME_DEPTH) return { kind: 'depth' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inspectFrame(value[i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (POISON_KEYS.has(key)) return { kind: 'poison', key };
    const found = inspectFrame((value as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function invalid<T>(error: z.ZodError, prefix = ''): DecodeResult<T> {
  const problems = problemsFromZod(error, prefix);
  return fail('invalid_params', describeProblems(problems), { path: problems[0]?.path, problems });
}

/** Some dashboards send `{"type":"subscribe","payload":{"eventTypes":[…]}}`; read it as an action. */
function normalizeLegacyShape(obj: Record<string, unknown>): Record<string, unknown> {
  if (typeof obj.action === 'string' || typeof obj.type !== 'string') return obj;
  const payload = obj.payload && typeof obj.payload === 'object' && !Array.isArray(obj.payload) ? obj.payload : {};
  const out: Record<string, unknown> = { ...(payload as Record<string, unknown>), action: obj.type };
  if (obj.id !== undefined) out.id = obj.id;
  return out;
}

function pickAlias(obj: Record<string, unknown>, target: string, aliases: string[]): void {
  if (obj[target] !== undefined) return;
  for (const alias of aliases) {
    if (obj[alias] !== undefined) {
      obj[target] = obj[alias];
      return;
    }
  }
}

/**
 * Decodes one client text frame: JSON, an object with a string `action`, and
 * that action's parameters. Never throws. An action that is not built in is
 * returned as a route (`route: true`) for the server's route table to take or
 * refuse with `unknown_action`.
 */
export function decodeClientMessage(text: string): DecodeResult<ClientMessage> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('invalid_json', `the frame is not valid JSON (${(err as Error).message.slice(0, 120)}); send one JSON object per text frame`);
  }
  return decodeClientValue(value);
}

/** Like {@link decodeClientMessage} for an already parsed value. */
export function decodeClientValue(value: unknown): DecodeResult<ClientMessage> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('invalid_frame', 'each frame must be a JSON object such as {"action":"ping"}');
  }
  const problem = inspectFrame(value, 0);
  if (problem?.kind === 'depth') return fail('invalid_frame', `the frame nests deeper than ${MAX_FRAME_DEPTH} levels`);
  if (problem?.kind === 'poison') {
    return fail('invalid_frame', `the key "${problem.key}" is not allowed anywhere in a frame`, { path: problem.key });
  }
  const obj = normalizeLegacyShape({ ...(value as Record<string, unknown>) });
  const { action, id } = obj;
  if (id !== undefined) {
    const idCheck = requestIdSchema.safeParse(id);
    if (!idCheck.success) return invalid(idCheck.error, 'id');
  }
  const rid = id as RequestId | undefined;
  if (typeof action !== 'string' || !ACTION_NAME.test(action)) {
    return fail('invalid_frame', 'the frame needs a string "action" such as "subscribe", "publish" or "ping"', { path: 'action' });
  }
  const base = rid === undefined ? {} : { id: rid };
  switch (action) {
    case 'ping':
      return ok({ action, ...base, timestamp: obj.timestamp });
    case 'get_metadata':
    case 'list_subscriptions':
      return ok({ action, ...base } as ClientMessage);
    case 'subscribe': {
      pickAlias(obj, 'event_types', ['types', 'eventTypes', 'patterns']);
      pickAlias(obj, 'subscription_id', ['subscriptionId']);
      pickAlias(obj, 'correlation_id', ['correlationId']);
      const p = subscribeParamsSchema.safeParse(obj);
      if (!p.success) return invalid(p.error);
      return ok({ action, ...base, ...stripUndefined(p.data) } as ClientMessage);
    }
    case 'unsubscribe': {
      pickAlias(obj, 'event_types', ['types', 'eventTypes', 'patterns']);
      pickAlias(obj, 'subscription_id', ['subscriptionId']);
      const p = unsubscribeParamsSchema.safeParse(obj);
      if (!p.success) return invalid(p.error);
      return ok({ action, ...base, ...stripUndefined(p.data) } as ClientMessage);
    }
    case 'publish': {
      if (obj.events !== undefined) {
        if (!Array.isArray(obj.events) || obj.events.length === 0) {
          return fail('invalid_params', 'events must be a non-empty array of events', { path: 'events' });
        }
        return ok({ action, ...base, events: obj.events });
      }
      if (obj.event === undefined || obj.event === null || typeof obj.event !== 'object') {
        return fail('invalid_params', 'publish needs "event" (an object) or "events" (an array)', { path: 'event' });
      }
      return ok({ action, ...base, event: obj.event });
    }
    case 'history':
      return ok({ action, ...base, query: obj.query ?? {} });
    case 'auth':
      if (typeof obj.token !== 'string' || obj.token.length === 0 || obj.token.length > 8192) {
        return fail('invalid_params', 'token must be a non-empty string of at most 8192 characters', { path: 'token' });
      }
      return ok({ action, ...base, token: obj.token });
    case 'context_switch':
      if (typeof obj.org !== 'string' || obj.org.length === 0 || obj.org.length > 100) {
        return fail('invalid_params', 'org must be a non-empty string (the org to switch to)', { path: 'org' });
      }
      return ok({ action, ...base, org: obj.org });
    case 'call':
      if (typeof obj.tool !== 'string' || obj.tool.length === 0 || obj.tool.length > 200) {
        return fail('invalid_params', 'tool must be a non-empty string naming the tool', { path: 'tool' });
      }
      return ok({ action, ...base, tool: obj.tool, params: obj.params ?? {} });
    default: {
      const params = { ...obj };
      delete params.action;
      delete params.id;
      return ok({ action, ...base, route: true, params });
    }
  }
}

function stripUndefined<T extends object>(obj: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
