import { z } from 'zod';
import {
  type EventDraft,
  eventTypeSchema,
  prioritySchema,
  severitySchema,
  SEVERITIES,
  type Severity,
} from './event.js';
import { describeProblems, problemsFromZod } from './issues.js';
import { type DecodeResult, fail, ok } from './result.js';

/** Longest id a publisher may supply. */
export const MAX_EVENT_ID_LENGTH = 128;

const idSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(MAX_EVENT_ID_LENGTH, `must be at most ${MAX_EVENT_ID_LENGTH} characters`);

const timeSchema = z.union([z.string(), z.number()], { error: 'must be an ISO 8601 string or epoch milliseconds' });

/**
 * What a publisher may send. Herald's own names, the older names
 * (`event_type`, `timestamp`, `payload`, `correlationId`) and CloudEvents 1.0
 * structured JSON (`specversion`, `datacontenttype`, `subject`, extension
 * attributes `severity`, `priority`, `correlationid`, `org`) are all read.
 */
export const publishEventInputSchema = z.looseObject({
  id: idSchema.optional(),
  type: eventTypeSchema.optional(),
  event_type: eventTypeSchema.optional(),
  source: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters').optional(),
  time: timeSchema.optional(),
  timestamp: timeSchema.optional(),
  severity: severitySchema.optional(),
  priority: prioritySchema.optional(),
  correlation_id: z.string().max(200).optional(),
  correlationId: z.string().max(200).optional(),
  correlationid: z.string().max(200).optional(),
  org: z.string().min(1).max(100).optional(),
  data: z.unknown().optional(),
  payload: z.unknown().optional(),
  specversion: z.literal('1.0', { error: 'only CloudEvents specversion "1.0" is supported' }).optional(),
  data_base64: z.string().optional(),
});

export type PublishEventInput = z.infer<typeof publishEventInputSchema>;

function normalizeTime(value: string | number | undefined, now: () => Date): DecodeResult<string> {
  if (value === undefined) return ok(now().toISOString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail('invalid_event', 'time must be a finite number');
    // Seconds since the epoch (Date.now()/1000 style) are < 1e11.
    const ms = value < 1e11 ? value * 1000 : value;
    const date = new Date(ms);
    if (Number.isNaN(date.getTime())) return fail('invalid_event', 'time is out of range', { path: 'time' });
    return ok(date.toISOString());
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return fail('invalid_event', `time "${value.slice(0, 40)}" is not an ISO 8601 date such as 2026-11-21T12:00:00Z`, {
      path: 'time',
    });
  }
  return ok(date.toISOString());
}

function pickSeverityFromData(data: unknown): Severity | undefined {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const s = (data as Record<string, unknown>).severity;
    if (typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  }
  return undefined;
}

function pickCorrelationFromData(data: unknown): string | undefined {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    const c = d.correlationId ?? d.correlation_id;
    if (typeof c === 'string' && c.length > 0 && c.length <= 200) return c;
  }
  return undefined;
}

/**
 * Validates one publish input and applies defaults and aliases. The result
 * lacks `seq` and possibly `id` and `category`, which the server assigns.
 * `pathPrefix` locates errors inside a batch (`events[3]`).
 */
export function normalizePublishInput(
  raw: unknown,
  options: { now?: () => Date; defaultSource?: string; pathPrefix?: string } = {},
): DecodeResult<Omit<EventDraft, 'id'> & { id?: string }> {
  const prefix = options.pathPrefix ?? '';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail('invalid_event', `${prefix || 'event'} must be a JSON object with at least a "type"`, {
      path: prefix || 'event',
    });
  }
  const parsed = publishEventInputSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsFromZod(parsed.error, prefix);
    return fail('invalid_event', describeProblems(problems), { path: problems[0]?.path, problems });
  }
  const input = parsed.data;
  const type = input.type ?? input.event_type;
  if (!type) {
    const path = prefix ? `${prefix}.type` : 'type';
    return fail('invalid_event', `${path} is required (an event type such as "agent_request")`, { path });
  }
  const time = normalizeTime(input.time ?? input.timestamp, options.now ?? (() => new Date()));
  if (!time.ok) return time;
  const data: unknown =
    input.data !== undefined
      ? input.data
      : input.payload !== undefined
        ? input.payload
        : input.data_base64 !== undefined
          ? { base64: input.data_base64 }
          : {};
  const draft: Omit<EventDraft, 'id'> & { id?: string } = {
    type,
    source: input.source ?? options.defaultSource ?? 'unknown',
    time: time.value,
    severity: input.severity ?? pickSeverityFromData(data) ?? 'info',
    priority: input.priority ?? 'normal',
    data,
  };
  if (input.id !== undefined) draft.id = input.id;
  const correlation = input.correlation_id ?? input.correlationId ?? input.correlationid ?? pickCorrelationFromData(data);
  if (correlation !== undefined) draft.correlation_id = correlation;
  if (input.org !== undefined) draft.org = input.org;
  return ok(draft);
}

/** Reads a publish body: one event, `{events:[…]}` or a bare array. */
export function splitPublishBody(body: unknown): DecodeResult<{ items: unknown[]; isBatch: boolean }> {
  if (Array.isArray(body)) return ok({ items: body, isBatch: true });
  if (body && typeof body === 'object') {
    const events = (body as { events?: unknown }).events;
    if (events !== undefined) {
      if (!Array.isArray(events)) return fail('invalid_params', 'events must be an array of events', { path: 'events' });
      return ok({ items: events, isBatch: true });
    }
    return ok({ items: [body], isBatch: false });
  }
  return fail('invalid_event', 'the body must be an event object, {"events":[…]} or an array of events', { path: '(root)' });
}
