/**
 * `HERALD_API_KEYS` syntax. An entry is `name:key[:permission,…]`, and
 * permissions themselves contain `:` (`publish:*`) and are separated by `,`,
 * so the separator between entries depends on the value:
 *
 * - entries are separated by newlines or `;`
 *   (`ingest:k1:publish:*,history:*; ci:k2:publish:ci.*`);
 * - a value with neither is a comma-separated list when every piece is a
 *   bare `name:key` (`ingest:k1,ci:k2`), else one entry with permissions.
 */
export function splitApiKeys(raw: string): string[] {
  const trimmed = raw.trim();
  if (!trimmed) return [];
  const pieces = /[\n;]/.test(trimmed) ? trimmed.split(/[\n;]/) : splitPlainList(trimmed);
  return pieces.map((p) => p.trim()).filter((p) => p.length > 0);
}

function splitPlainList(value: string): string[] {
  const pieces = value.split(',');
  const isBareList = pieces.every((p) => p.trim() === '' || p.split(':').length === 2);
  return isBareList ? pieces : [value];
}

/** Shortest key accepted, characters: shorter ones can be guessed. */
export const MIN_KEY_LENGTH = 16;

const NAME = /^[A-Za-z0-9_.-]+$/;
const KEY = /^[^\s:,;]+$/;
const PERMISSION = /^[^\s,;]+$/;

/**
 * Why an API key entry is malformed, or undefined when it is well formed.
 * The message never repeats the key itself: it is a secret.
 */
export function apiKeyEntryProblem(entry: string): string | undefined {
  const [name = '', key = '', ...rest] = entry.split(':');
  const fix = 'write name:key[:permission,…] (separate entries with ";" or newlines when any has permissions)';
  if (!NAME.test(name)) return `the name must be letters, digits, ".", "_" or "-"; ${fix}`;
  if (!key) return `the key is missing; ${fix}`;
  if (!KEY.test(key)) return `the key must not contain spaces, ",", ";" or ":"; ${fix}`;
  if (key.length < MIN_KEY_LENGTH) return `the key must be at least ${MIN_KEY_LENGTH} characters; use a long random key`;
  if (rest.length > 0) {
    const permissions = rest.join(':').split(',');
    if (permissions.some((p) => !PERMISSION.test(p.trim()))) return `a permission is empty or has spaces; ${fix}`;
  }
  return undefined;
}

/** The entry's name, for messages that must not echo the key. */
export function apiKeyName(entry: string): string {
  return entry.split(':')[0] ?? '';
}
