import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { JwtAuthenticator } from '../auth/jwt-authenticator.js';
import type { CliIo } from './cli-io.js';
import { buildMintOptions, parseTtl, registerTokenCommand, runToken } from './token-command.js';

const SECRET = 'a-cli-test-secret-of-32-characters-or-more';

function testIo(env: Record<string, string> = {}, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { NO_COLOR: '1', ...env },
    cwd: process.cwd(),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t), isTTY },
    version: 'test',
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('herald token', () => {
  afterEach(() => {
    // The command's action sets the exit code of this test process.
    process.exitCode = undefined;
  });

  describe('registerTokenCommand', () => {
    it('mints a token from repeated --permission flags that the JwtAuthenticator accepts with the same claims', async () => {
      const { io, stdout } = testIo({ HERALD_JWT_SECRET: SECRET });
      const program = new Command('herald').exitOverride();
      registerTokenCommand(program, io).exitOverride();
      const before = Date.now();
      await program.parseAsync(
        ['token', '--sub', 'ada', '--org', 'acme', '--orgs', 'beta, gamma', '--permission', 'subscribe:claude.*', '--permission', 'publish:test', '--ttl', '2h', '--issuer', 'dev', '--audience', 'herald'],
        { from: 'user' },
      );
      expect(process.exitCode).toBe(0);
      const token = stdout().trim();
      const result = await new JwtAuthenticator({ jwt: { secret: SECRET, issuer: 'dev', audience: 'herald', clockSkewS: 0 } }).authenticate(token);
      expect(result).toMatchObject({
        ok: true,
        identity: { id: 'ada', kind: 'jwt', org: 'acme', orgs: ['acme', 'beta', 'gamma'], permissions: ['subscribe:claude.*', 'publish:test'] },
      });
      const expiresAtMs = (result as { identity: { expiresAtMs: number } }).identity.expiresAtMs;
      expect(expiresAtMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7_200_000);
      expect(expiresAtMs).toBeLessThanOrEqual(Date.now() + 7_200_000);
    });

    it('shows examples with repeated --permission flags in its help', () => {
      let text = '';
      const command = registerTokenCommand(new Command('herald'), testIo().io);
      command.configureOutput({ writeOut: (t) => (text += t) });
      command.outputHelp();
      expect(text).toContain('--permission <permission>');
      expect(text).toContain("--permission 'subscribe:claude.*' --permission 'publish:test'");
    });
  });

  describe('runToken', () => {
    it('prints only the token on stdout, and its claims and expiry on stderr when that is a terminal', async () => {
      const { io, stdout, stderr } = testIo({}, true);
      expect(await runToken({ sub: 'ada', permission: ['subscribe:*'], ttl: '1h', secret: SECRET }, io)).toBe(0);
      expect(stdout()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(stderr()).toMatch(/claims: \{.*"sub":"ada".*\}\nexpires: \d{4}-\d\d-\d\dT/);
    });

    it('keeps stderr quiet when it is not a terminal', async () => {
      const { io, stderr } = testIo();
      await runToken({ sub: 'ada', permission: ['subscribe:*'], ttl: '1h', secret: SECRET }, io);
      expect(stderr()).toBe('');
    });

    it('warns when the token grants no permissions', async () => {
      const { io, stderr } = testIo();
      expect(await runToken({ sub: 'ada', ttl: '1h', secret: SECRET }, io)).toBe(0);
      expect(stderr()).toMatch(/grants no permissions/);
    });

    it('exits 2 naming the fix when there is no secret', async () => {
      const { io, stdout, stderr } = testIo();
      expect(await runToken({ sub: 'ada', ttl: '1h' }, io)).toBe(2);
      expect(stdout()).toBe('');
      expect(stderr()).toMatch(/no secret: pass --secret or set HERALD_JWT_SECRET/);
    });
  });

  describe('buildMintOptions', () => {
    it('prefers --secret, --issuer and --audience to the environment', () => {
      const env = { HERALD_JWT_SECRET: 'x'.repeat(40), HERALD_JWT_ISSUER: 'env-iss', HERALD_JWT_AUDIENCE: 'env-aud' };
      const built = buildMintOptions({ sub: 'ada', ttl: '1h', secret: SECRET, issuer: 'flag-iss' }, env);
      expect(built).toMatchObject({ ok: true, options: { secret: SECRET, issuer: 'flag-iss', audience: 'env-aud' } });
    });

    it('refuses a secret shorter than 32 characters and a ttl that is not a duration', () => {
      expect(buildMintOptions({ sub: 'ada', ttl: '1h', secret: 'short' }, {})).toMatchObject({ ok: false, problem: expect.stringMatching(/at least 32/) });
      expect(buildMintOptions({ sub: 'ada', ttl: '1 week', secret: SECRET }, {})).toMatchObject({ ok: false, problem: expect.stringMatching(/--ttl "1 week"/) });
    });
  });

  describe('parseTtl', () => {
    it('reads seconds and s, m, h and d suffixes', () => {
      expect([parseTtl('90'), parseTtl('90s'), parseTtl('15m'), parseTtl('1h'), parseTtl('7d')]).toEqual([90, 90, 900, 3600, 604_800]);
    });

    it('refuses zero, negatives, fractions and unknown units', () => {
      for (const text of ['0', '0h', '-1h', '1.5h', '1w', 'h', '']) expect(parseTtl(text)).toBeUndefined();
    });
  });
});
