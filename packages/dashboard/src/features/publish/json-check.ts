/** The result of checking the data editor's text. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses JSON and, when it fails, says where, in words a person can act on. */
export function checkJson(text: string): JsonCheck {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at) {
      const position = Number(at[1]);
      const before = text.slice(0, position).split('\n');
      return {
        ok: false,
        message: `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`,
      };
    }
    return { ok: false, message };
  }
}

/** A type must be dot-separated words (DESIGN.md §2). */
export const EVENT_TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
