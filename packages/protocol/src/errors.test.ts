import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES, httpStatusFor, shouldReconnect } from './errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

function tableRows(heading: string): string[][] {
  const section = doc.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !/^\| (code|name) \|/.test(l))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
}

describe('docs/errors.md', () => {
  it('lists exactly the request error codes of the code table, with their HTTP status', () => {
    const rows = tableRows('Request error codes');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(ERROR_CODES));
    for (const [code, status] of rows.map((r) => [r[0]!, r[1]!] as const)) {
      if (code === 'token_expiring') expect(status).toContain('WebSocket');
      else expect(Number(status)).toBe(httpStatusFor(code));
    }
  });

  it('lists exactly the close codes of the code table, with their numbers and reconnect advice', () => {
    const rows = tableRows('WebSocket close codes');
    expect(rows.map((r) => [Number(r[0]), r[1], r[2]])).toEqual(
      Object.entries(CLOSE_CODES).map(([name, c]) => [c.code, name, c.reconnect ? 'yes' : 'no']),
    );
  });
});

describe('close codes', () => {
  it('put every reconnect code of Herald in 4000-4499 and every final one in 4500-4999', () => {
    for (const c of Object.values(CLOSE_CODES)) {
      if (c.code >= 4000) expect(shouldReconnect(c.code)).toBe(c.reconnect);
    }
  });

  it('are unique', () => {
    const codes = Object.values(CLOSE_CODES).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
