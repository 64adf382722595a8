import { z } from 'zod';

/** Dotted names (`repo.commit.created`) and single words (`agent_request`). */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Longest event type name accepted, in characters. */
export const MAX_EVENT_TYPE_LENGTH = 200;

export const SEVERITIES = ['debug', 'info', 'success', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const eventTypeSchema = z
  .string({ error: 'must be a string such as "repo.commit.created" or "agent_request"' })
  .min(1, 'must not be empty')
  .max(MAX_EVENT_TYPE_LENGTH, `must be at most ${MAX_EVENT_TYPE_LENGTH} characters`)
  .regex(EVENT_TYPE_PATTERN, 'must be dot-separated words of letters, digits, "_" or "-" (e.g. "repo.commit.created")');

export const severitySchema = z.enum(SEVERITIES, {
  error: `must be one of ${SEVERITIES.join(', ')}`,
});
export const prioritySchema = z.enum(PRIORITIES, {
  error: `must be one of ${PRIORITIES.join(', ')}`,
});

/**
 * An event as Herald stores and delivers it. `seq` is its position in the
 * deployment's one ordered log, strictly increasing; clients resume from it.
 */
export interface HeraldEvent {
  /** Unique id (ULID unless the publisher supplied one). */
  id: string;
  /** Position in the log; strictly increasing. */
  seq: number;
  type: string;
  /** From the registry entry of the type, else the type's first segment. */
  category: string;
  source: string;
  /** ISO 8601 time the event happened (the publisher's, else the server's). */
  time: string;
  severity: Severity;
  priority: Priority;
  correlation_id?: string;
  org?: string;
  data: unknown;
}

/** An event ready to be sequenced: everything but `seq`, with defaults applied. */
export type EventDraft = Omit<HeraldEvent, 'seq' | 'category'> & { category?: string };

export const heraldEventSchema = z.object({
  id: z.string(),
  seq: z.number().int().nonnegative(),
  type: eventTypeSchema,
  category: z.string(),
  source: z.string(),
  time: z.string(),
  severity: severitySchema,
  priority: prioritySchema,
  correlation_id: z.string().optional(),
  org: z.string().optional(),
  data: z.unknown(),
});
