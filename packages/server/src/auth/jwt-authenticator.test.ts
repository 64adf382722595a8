import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/herald-error.js';
import type { AuthResult } from './authenticator.js';
import { JwtAuthenticator, MAX_JWT_BYTES } from './jwt-authenticator.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const NOW_MS = Date.parse('2030-01-01T00:00:00Z');
const NOW_S = NOW_MS / 1000;

type SigningKey = Parameters<SignJWT['sign']>[0];

/** Signs claims with sensible defaults: sub ada, issued now, valid for an hour. */
function sign(key: SigningKey, alg: string, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'ada', iat: NOW_S, exp: NOW_S + 3600, ...claims }).setProtectedHeader({ alg, ...header }).sign(key);
}

const secretKey = (secret = SECRET) => new TextEncoder().encode(secret);

function withSecret(jwt: Partial<ConstructorParameters<typeof JwtAuthenticator>[0]['jwt']> = {}) {
  return new JwtAuthenticator({ jwt: { secret: SECRET, clockSkewS: 30, ...jwt }, nowMs: () => NOW_MS });
}

function expectRefused(result: AuthResult | undefined, code: 'unauthorized' | 'token_expired', message: RegExp): void {
  expect(result).toMatchObject({ ok: false, code });
  expect((result as { message: string }).message).toMatch(message);
  // A WebSocket close reason holds 123 bytes; the connection cuts at 120.
  expect((result as { message: string }).message.length).toBeLessThanOrEqual(120);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JwtAuthenticator', () => {
  describe('authenticate with an HS256 secret', () => {
    it('accepts a signed token and maps its claims to an identity', async () => {
      const token = await sign(secretKey(), 'HS256', { org: 'acme', orgs: ['beta'], permissions: ['subscribe:claude.*', 'publish:test'] });
      const result = await withSecret().authenticate(token);
      expect(result).toEqual({
        ok: true,
        identity: { id: 'ada', kind: 'jwt', org: 'acme', orgs: ['acme', 'beta'], permissions: ['subscribe:claude.*', 'publish:test'], expiresAtMs: (NOW_S + 3600) * 1000 },
      });
    });

    it('reads permissions from a space-separated scope claim when there is no permissions claim', async () => {
      const token = await sign(secretKey(), 'HS256', { scope: 'subscribe:*  history:*' });
      const result = await withSecret().authenticate(token);
      expect(result).toMatchObject({ ok: true, identity: { permissions: ['subscribe:*', 'history:*'], orgs: [] } });
    });

    it('refuses a token signed with another secret, saying the signature does not verify', async () => {
      const token = await sign(secretKey('another-secret-that-is-32-characters-long'), 'HS256');
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /signature does not verify/);
    });

    it('refuses a token without a sub claim', async () => {
      const token = await sign(secretKey(), 'HS256', { sub: undefined });
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /no "sub" claim/);
    });

    it('refuses a permissions claim that is not an array of strings', async () => {
      const token = await sign(secretKey(), 'HS256', { permissions: 'admin' });
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /"permissions" claim must be an array of strings/);
    });

    it('refuses an RS256 token when only a secret is configured', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      expectRefused(await withSecret().authenticate(await sign(privateKey, 'RS256')), 'unauthorized', /signed with "RS256"; this server accepts HS256$/);
    });
  });

  describe('authenticate with a PEM public key', () => {
    let rsa: CryptoKeyPair;
    let rsaPem: string;
    let ec: CryptoKeyPair;
    let ecPem: string;
    beforeAll(async () => {
      rsa = await generateKeyPair('RS256', { extractable: true });
      rsaPem = await exportSPKI(rsa.publicKey);
      ec = await generateKeyPair('ES256', { extractable: true });
      ecPem = await exportSPKI(ec.publicKey);
    });
    const withPem = (publicKey: string) => new JwtAuthenticator({ jwt: { publicKey, clockSkewS: 30 }, nowMs: () => NOW_MS });

    it('accepts an RS256 token signed with the matching private key', async () => {
      expect(await withPem(rsaPem).authenticate(await sign(rsa.privateKey, 'RS256'))).toMatchObject({ ok: true, identity: { id: 'ada' } });
    });

    it('accepts an ES256 token signed with the matching private key', async () => {
      expect(await withPem(ecPem).authenticate(await sign(ec.privateKey, 'ES256'))).toMatchObject({ ok: true, identity: { id: 'ada' } });
    });

    it('accepts PS256 with an RSA key and EdDSA with an Ed25519 key', async () => {
      const ps = await generateKeyPair('PS256', { extractable: true });
      expect(await withPem(await exportSPKI(ps.publicKey)).authenticate(await sign(ps.privateKey, 'PS256'))).toMatchObject({ ok: true });
      const ed = await generateKeyPair('EdDSA', { extractable: true });
      expect(await withPem(await exportSPKI(ed.publicKey)).authenticate(await sign(ed.privateKey, 'EdDSA'))).toMatchObject({ ok: true });
    });

    it('accepts a PEM whose newlines are written as \\n escapes', async () => {
      const escaped = rsaPem.replaceAll('\n', '\\n');
      expect(await withPem(escaped).authenticate(await sign(rsa.privateKey, 'RS256'))).toMatchObject({ ok: true });
    });

    it('refuses an HS256 token signed with the public key PEM as its secret (algorithm confusion)', async () => {
      const forged = await sign(secretKey(rsaPem), 'HS256', { permissions: ['admin'] });
      expectRefused(await withPem(rsaPem).authenticate(forged), 'unauthorized', /signed with "HS256"; this server accepts RS256/);
    });

    it('refuses an ES256 token when the configured key is RSA', async () => {
      expectRefused(await withPem(rsaPem).authenticate(await sign(ec.privateKey, 'ES256')), 'unauthorized', /signed with "ES256"/);
    });

    it('refuses an RS256 token signed by another key pair', async () => {
      const other = await generateKeyPair('RS256');
      expectRefused(await withPem(rsaPem).authenticate(await sign(other.privateKey, 'RS256')), 'unauthorized', /signature does not verify/);
    });
  });

  describe('constructor', () => {
    const build = (jwt: Record<string, unknown>) => () => new JwtAuthenticator({ jwt: { clockSkewS: 30, ...jwt } });

    it('throws a ConfigError naming HERALD_JWT_PUBLIC_KEY and the fix when the public key does not parse', () => {
      expect(build({ publicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' })).toThrow(ConfigError);
      expect(build({ publicKey: 'nonsense' })).toThrow(/HERALD_JWT_PUBLIC_KEY.*openssl pkey -in private.pem -pubout/);
    });

    it('throws a ConfigError when given a private key instead of a public one', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const { exportPKCS8 } = await import('jose');
      expect(build({ publicKey: await exportPKCS8(privateKey) })).toThrow(/holds a private key/);
    });

    it('throws a ConfigError when an issuer is set without any key', () => {
      expect(build({ issuer: 'https://id.example.com' })).toThrow(/HERALD_JWT_SECRET.*HERALD_JWT_PUBLIC_KEY.*HERALD_JWKS_URL/);
    });
  });

  describe('authenticate with a JWKS URL', () => {
    let server: Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
      server = undefined;
    });

    /** Serves `keys()` at /jwks.json on port 0 (or answers `status` without a body) and counts the fetches. */
    async function serveJwks(keys: () => JWK[], status = 200): Promise<{ url: string; fetches: () => number }> {
      let fetches = 0;
      server = createServer((req, res) => {
        fetches++;
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(status === 200 ? JSON.stringify({ keys: keys() }) : '');
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}/jwks.json`, fetches: () => fetches };
    }

    async function keyWithKid(alg: string, kid: string) {
      const pair = await generateKeyPair(alg, { extractable: true });
      return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
    }

    const withJwks = (jwksUrl: string, cooldownMs: number) => new JwtAuthenticator({ jwt: { jwksUrl, clockSkewS: 30 }, jwks: { cooldownMs }, nowMs: () => NOW_MS });

    it('accepts RS256 and ES256 tokens whose kid is in the set, fetching the set once', async () => {
      const rs = await keyWithKid('RS256', 'rs-1');
      const es = await keyWithKid('ES256', 'es-1');
      const jwks = await serveJwks(() => [rs.jwk, es.jwk]);
      const auth = withJwks(jwks.url, 30_000);
      expect(await auth.authenticate(await sign(rs.privateKey, 'RS256', {}, { kid: 'rs-1' }))).toMatchObject({ ok: true });
      expect(await auth.authenticate(await sign(es.privateKey, 'ES256', {}, { kid: 'es-1' }))).toMatchObject({ ok: true });
      expect(jwks.fetches()).toBe(1);
    });

    it('accepts a token signed by a rotated-in key after refetching the set', async () => {
      const old = await keyWithKid('RS256', 'old');
      const rotated = await keyWithKid('RS256', 'new');
      let published = [old.jwk];
      const jwks = await serveJwks(() => published);
      const auth = withJwks(jwks.url, 0);
      expect(await auth.authenticate(await sign(old.privateKey, 'RS256', {}, { kid: 'old' }))).toMatchObject({ ok: true });
      published = [rotated.jwk];
      expect(await auth.authenticate(await sign(rotated.privateKey, 'RS256', {}, { kid: 'new' }))).toMatchObject({ ok: true, identity: { id: 'ada' } });
      expect(jwks.fetches()).toBe(2);
    });

    it('refuses an unknown kid during the cooldown without fetching the set again', async () => {
      const known = await keyWithKid('ES256', 'known');
      const stranger = await keyWithKid('ES256', 'stranger');
      const jwks = await serveJwks(() => [known.jwk]);
      const auth = withJwks(jwks.url, 60_000);
      expect(await auth.authenticate(await sign(known.privateKey, 'ES256', {}, { kid: 'known' }))).toMatchObject({ ok: true });
      expectRefused(await auth.authenticate(await sign(stranger.privateKey, 'ES256', {}, { kid: 'stranger' })), 'unauthorized', /no key in the JWKS matches/);
      expect(jwks.fetches()).toBe(1);
    });

    it('refuses an HS256 token, naming what the key set accepts', async () => {
      const { url } = await serveJwks(() => []);
      const token = await sign(secretKey(), 'HS256');
      expectRefused(await withJwks(url, 0).authenticate(token), 'unauthorized', /signed with "HS256"; this server accepts RS\/PS\/ES\/EdDSA keys from the JWKS$/);
    });

    it('refuses, saying the key set could not be loaded, when the JWKS server is unreachable', async () => {
      const { url } = await serveJwks(() => []);
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
      const key = await keyWithKid('RS256', 'k');
      expectRefused(await withJwks(url, 0).authenticate(await sign(key.privateKey, 'RS256', {}, { kid: 'k' })), 'unauthorized', /could not load its JWKS/);
    });

    it('refuses, saying the key set could not be loaded, when the JWKS server answers with an error status', async () => {
      const { url } = await serveJwks(() => [], 503);
      const key = await keyWithKid('ES256', 'k');
      expectRefused(await withJwks(url, 0).authenticate(await sign(key.privateKey, 'ES256', {}, { kid: 'k' })), 'unauthorized', /could not load its JWKS/);
    });
  });

  describe('authenticate checks the claims', () => {
    it('refuses a token from another issuer, naming the expected one', async () => {
      const token = await sign(secretKey(), 'HS256', { iss: 'https://evil.example.com' });
      expectRefused(await withSecret({ issuer: 'https://id.example.com' }).authenticate(token), 'unauthorized', /wrong issuer: expected "https:\/\/id.example.com"/);
    });

    it('refuses a token for another audience, naming the expected one', async () => {
      const token = await sign(secretKey(), 'HS256', { iss: 'https://id.example.com', aud: 'other' });
      const auth = withSecret({ issuer: 'https://id.example.com', audience: 'herald' });
      expectRefused(await auth.authenticate(token), 'unauthorized', /wrong audience: expected "herald"/);
    });

    it('accepts a token with the configured issuer and audience', async () => {
      const token = await sign(secretKey(), 'HS256', { iss: 'https://id.example.com', aud: ['herald', 'other'] });
      expect(await withSecret({ issuer: 'https://id.example.com', audience: 'herald' }).authenticate(token)).toMatchObject({ ok: true });
    });

    it('answers token_expired with the expiry time once exp plus the skew has passed', async () => {
      const token = await sign(secretKey(), 'HS256', { exp: NOW_S - 31 });
      const expected = new Date((NOW_S - 31) * 1000).toISOString();
      expectRefused(await withSecret().authenticate(token), 'token_expired', new RegExp(`^the token expired at ${expected}; get a fresh one$`));
    });

    it('accepts a token that expired within the clock skew', async () => {
      expect(await withSecret().authenticate(await sign(secretKey(), 'HS256', { exp: NOW_S - 29 }))).toMatchObject({ ok: true });
    });

    it('refuses a token whose nbf is further in the future than the skew', async () => {
      const token = await sign(secretKey(), 'HS256', { nbf: NOW_S + 31 });
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /not valid yet \(not before 2030-01-01T00:00:31.000Z\)/);
    });

    it('accepts a token whose nbf is in the future within the skew', async () => {
      expect(await withSecret().authenticate(await sign(secretKey(), 'HS256', { nbf: NOW_S + 29 }))).toMatchObject({ ok: true });
    });
  });

  describe('authenticate with tokens that are not JWTs or are hostile', () => {
    it('returns undefined for strings that are not shaped like a JWT, leaving them to API keys and the admin token', async () => {
      for (const token of ['', 'test-admin-token-0123456789abcdef', 'svc:0123456789abcdef', 'a.b', 'a.b.c.d', 'a b.c.d', 'eyJ.eyJ.sig=']) {
        expect(await withSecret().authenticate(token)).toBeUndefined();
      }
    });

    it('refuses an unsigned token (alg none)', async () => {
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'ada', permissions: ['admin'], exp: NOW_S + 60 })}.`;
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /alg "none"\) are refused/);
    });

    it('refuses a token whose header is not JSON', async () => {
      expectRefused(await withSecret().authenticate('bm90LWpzb24.eyJzdWIiOiJhZGEifQ.c2ln'), 'unauthorized', /header is not valid base64url JSON/);
    });

    it('refuses a correctly signed token whose payload is not a JSON object as malformed', async () => {
      for (const payload of [Buffer.from('not-json').toString('base64url'), b64url(['sub', 'ada'])]) {
        const input = `${b64url({ alg: 'HS256' })}.${payload}`;
        const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
        expectRefused(await withSecret().authenticate(token), 'unauthorized', /malformed/);
      }
    });

    it(`refuses a token longer than ${MAX_JWT_BYTES} bytes before decoding it`, async () => {
      const token = `${b64url({ alg: 'HS256' })}.${'A'.repeat(MAX_JWT_BYTES)}.sig`;
      expectRefused(await withSecret().authenticate(token), 'unauthorized', /the limit is 8192/);
    });

    it('never repeats the token or an attacker-chosen algorithm name in its messages', async () => {
      const hostile = [
        `${b64url({ alg: 'HS256' })}.${b64url({ sub: 'x' })}.AAAA`,
        `${b64url({ alg: '<script>alert(1)</script>' })}.${b64url({ sub: 'x' })}.AAAA`,
        `${b64url({ alg: 'HS256' })}.bm90LWpzb24.c2ln`,
      ];
      for (const token of hostile) {
        const result = (await withSecret().authenticate(token)) as { ok: false; message: string };
        expect(result.ok).toBe(false);
        expect(result.message).not.toContain(token.split('.')[1]);
        expect(result.message).not.toContain('<script>');
      }
    });
  });
});
