import type { z } from 'zod';

/** A validation problem, located by a dotted path such as `event.severity`. */
export interface ValidationProblem {
  path: string;
  message: string;
}

/** Joins a zod path into `a.b[2].c`, prefixed by `prefix` when given. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

/** Turns zod issues into problems that name the field and what was expected. */
export function problemsFromZod(error: z.ZodError, prefix = ''): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path, prefix),
    message: issue.message,
  }));
}

/** One sentence for an error reply: `event.severity must be one of ...`. */
export function describeProblems(problems: ValidationProblem[]): string {
  return problems
    .slice(0, 5)
    .map((p) => `${p.path} ${p.message}`)
    .join('; ');
}
