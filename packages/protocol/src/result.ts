import type { ValidationProblem } from './issues.js';

/** The outcome of decoding untrusted input: a value, or a precise error. */
export type DecodeResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: DecodeError };

export interface DecodeError {
  code: string;
  message: string;
  details?: { path?: string; problems?: ValidationProblem[]; [key: string]: unknown };
}

export function ok<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string, details?: DecodeError['details']): DecodeResult<T> {
  return details ? { ok: false, error: { code, message, details } } : { ok: false, error: { code, message } };
}
