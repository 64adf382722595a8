import { type ErrorCode, httpStatusFor } from '@herald/protocol';

/** A request error: becomes an `error` reply on a socket or an error body over HTTP. */
export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HeraldError';
    this.code = code;
    this.status = httpStatusFor(code);
    this.details = details;
  }
}

/** A startup error: names the setting, the value and the fix; the process stops. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
