import { describeProblems, problemsFromZod } from '@herald/protocol';
import type { z } from 'zod';
import { HeraldError } from '../errors/herald-error.js';

/**
 * A tool's params checked against its schema; throws `invalid_params`
 * naming the first bad field (`details.path`, under `params.`).
 */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown, prefix = 'params'): z.infer<T> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const problems = problemsFromZod(r.error, prefix);
  throw new HeraldError('invalid_params', describeProblems(problems), { path: problems[0]?.path ?? prefix });
}
