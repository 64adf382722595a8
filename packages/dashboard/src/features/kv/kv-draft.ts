import { KV_KEY_PATTERN, KV_MAX_VALUE_BYTES } from '@herald/protocol';
import { checkJson } from '../publish/json-check';

/** What the KV editor holds: text as typed. */
export interface KvDraft {
  key: string;
  value: string;
  /** Seconds, as typed; empty means the key never expires. */
  ttl: string;
}

/** The editor's verdict: what to save, or a message per field that is wrong. */
export type KvDraftCheck =
  { ok: true; key: string; value: unknown; ttlS: number | undefined } | { ok: false; key?: string; value?: string; ttl?: string };

/** Checks a draft as the server would, so the Save button only sends what it accepts. */
export function checkKvDraft(draft: KvDraft): KvDraftCheck {
  const problems: { key?: string; value?: string; ttl?: string } = {};
  const key = draft.key.trim();
  if (!KV_KEY_PATTERN.test(key)) problems.key = 'Use 1 to 256 letters, digits or _ . : / -';
  let value: unknown;
  if (draft.value.trim() === '') problems.value = 'Give a JSON value, such as {"step": 3}, "text" or 42.';
  else {
    const json = checkJson(draft.value);
    if (!json.ok) problems.value = `Not valid JSON: ${json.message}`;
    else {
      value = json.value;
      const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
      if (bytes > KV_MAX_VALUE_BYTES) problems.value = `The value is ${bytes} bytes; at most ${KV_MAX_VALUE_BYTES} (64 KiB).`;
    }
  }
  let ttlS: number | undefined;
  if (draft.ttl.trim() !== '') {
    ttlS = Number(draft.ttl);
    if (!Number.isFinite(ttlS) || ttlS <= 0) problems.ttl = 'Seconds greater than 0, or empty to keep the key forever.';
  }
  if (problems.key || problems.value || problems.ttl) return { ok: false, ...problems };
  return { ok: true, key, value, ttlS };
}

/** `45 s`, `12 min`, `3 h`, `2 d`, or `never`. */
export function describeTtl(ttlS: number | null): string {
  if (ttlS === null) return 'never';
  if (ttlS < 60) return `${ttlS} s`;
  if (ttlS < 3600) return `${Math.round(ttlS / 60)} min`;
  if (ttlS < 86_400) return `${Math.round(ttlS / 3600)} h`;
  return `${Math.round(ttlS / 86_400)} d`;
}
