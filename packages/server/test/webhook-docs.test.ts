import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signPayload } from '../src/webhooks/sign-payload.js';

/** The verification snippets of docs/webhooks.md, run as a receiver would run them. */
const DOC = readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8');
const block = (lang: string) => {
  const found = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(DOC);
  if (!found) throw new Error(`docs/webhooks.md has no ${lang} block`);
  return found[1]!;
};

const SECRET = 'whsec_docs_secret_0123456789';
const BODY = JSON.stringify({ id: 'e1', seq: 7, type: 'repo.push', data: { text: 'é ✓' } });

describe('docs/webhooks.md signature snippets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases = () => {
    const now = Math.floor(Date.now() / 1000);
    const header = signPayload(SECRET, BODY, now);
    return [
      { body: BODY, header, expected: true },
      { body: BODY.replace('7', '8'), header, expected: false },
      { body: BODY, header: signPayload('another secret entirely', BODY, now), expected: false },
      { body: BODY, header: signPayload(SECRET, BODY, now - 3600), expected: false },
      { body: BODY, header: 'garbage', expected: false },
    ];
  };

  it('accepts what Herald signs and refuses a changed body, another secret, an old timestamp and garbage, in Node', () => {
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, `${block('js')}\nconst input = JSON.parse(process.argv[2]);\nconsole.log(JSON.stringify(input.map((c) => verifyHeraldSignature(${JSON.stringify(SECRET)}, c.body, c.header))));\n`);
    const all = cases();
    const out = execFileSync(process.execPath, [file, JSON.stringify(all)], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(out)).toEqual(all.map((c) => c.expected));
  });

  it('does the same in Python', () => {
    const file = join(dir, 'verify.py');
    writeFileSync(
      file,
      `${block('python')}\nimport json, sys\ncases = json.loads(sys.argv[1])\nprint(json.dumps([verify_herald_signature(${JSON.stringify(SECRET)}, c["body"].encode(), c["header"]) for c in cases]))\n`,
    );
    const all = cases();
    const out = execFileSync('python3', [file, JSON.stringify(all)], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(out)).toEqual(all.map((c) => c.expected));
  });
});
