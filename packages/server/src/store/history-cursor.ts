import { HeraldError } from '../errors/herald-error.js';

/** Largest cursor length accepted, in characters (a seq is at most 16 digits). */
const MAX_CURSOR_LENGTH = 40;

/** The opaque cursor for "older than this seq": base64url of the seq's digits. */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

/**
 * The seq a cursor stands for.
 * @throws HeraldError `invalid_params` (path `cursor`) when it is not a cursor this store made.
 */
export function decodeCursor(cursor: string): number {
  const invalid = () =>
    new HeraldError('invalid_params', 'cursor is not a next_cursor from a previous history page; drop it to start from the newest event', {
      path: 'cursor',
    });
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,15}$/.test(text)) throw invalid();
  const seq = Number(text);
  if (!Number.isSafeInteger(seq)) throw invalid();
  return seq;
}
