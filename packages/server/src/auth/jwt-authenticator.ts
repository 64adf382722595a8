import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { HeraldConfig } from '../config/config-schema.js';
import { ConfigError } from '../errors/herald-error.js';
import type { AuthResult, Authenticator } from './authenticator.js';
import type { Identity } from './identity.js';

/** Longest token looked at, bytes; longer ones are refused before any decoding. */
export const MAX_JWT_BYTES = 8 * 1024;

/** Compact JWS shape: header.payload.signature, base64url. An empty signature is kept so `alg: none` gets a precise refusal. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGORITHMS: Record<string, string> = { 'prime256v1': 'ES256', 'P-256': 'ES256', 'secp384r1': 'ES384', 'P-384': 'ES384', 'secp521r1': 'ES512', 'P-521': 'ES512' };
/** Everything a JWKS may hold; the key's own `alg`/`kty` narrows it further inside jose. */
const JWKS_ALGORITHMS = [...RSA_ALGORITHMS, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** JWKS fetch tuning; the defaults suit production. */
export interface JwksOptions {
  /** Give up on a JWKS fetch after this long, ms. Default 5,000. */
  timeoutMs?: number;
  /**
   * After a fetch, an unknown `kid` does not trigger another one for this long, ms,
   * so forged kids cannot hammer the identity provider. Default 30,000.
   */
  cooldownMs?: number;
  /** Refetch the key set when it is older than this, ms. Default 600,000 (10 min). */
  maxAgeMs?: number;
}

/** How a {@link JwtAuthenticator} verifies: the validated `jwt` config plus JWKS tuning and a clock. */
export interface JwtAuthenticatorOptions {
  jwt: HeraldConfig['jwt'];
  jwks?: JwksOptions;
  /** Current time, ms since the epoch; tests inject it. Default `Date.now`. */
  nowMs?: () => number;
}

/** The JWKS could not be fetched or read; the token itself may be fine. */
class JwksUnavailableError extends Error {}

type Refusal = Extract<AuthResult, { ok: false }>;

const refuse = (message: string): Refusal => ({ ok: false, code: 'unauthorized', message });

/**
 * Verifies JWTs with jose: HS256 with a shared secret, RS/PS/ES/EdDSA with a
 * PEM public key or keys fetched from a JWKS URL (cached; an unknown `kid`
 * refetches the set, which is how key rotation reaches Herald). Checks
 * issuer, audience, `exp` and `nbf` with `clockSkewS` of tolerance. Each
 * key source admits only its own algorithms, so `alg: none` and algorithm
 * confusion (an HS256 token "signed" with the public key) are refused.
 *
 * Claims become an {@link Identity}: `sub` (required) the id, `org`, `orgs`,
 * `permissions` (or a space-separated `scope`), `exp` the expiry.
 *
 * Claims only strings shaped like a compact JWS; anything else is left to
 * the next authenticator of the chain. Refusal messages never echo the token.
 *
 * @throws ConfigError at construction when no key is configured or the public key is unusable.
 * @example
 * const jwt = new JwtAuthenticator({ jwt: { secret: process.env.SECRET, clockSkewS: 30 } });
 * const result = await jwt.authenticate(token); // undefined when the token is not a JWT
 */
export class JwtAuthenticator implements Authenticator {
  private readonly secret: Uint8Array | undefined;
  private readonly publicKey: { key: KeyObject; algorithms: string[] } | undefined;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly algorithms: string[];
  /** The accepted algorithms in words, short enough for a 123-byte close reason. */
  private readonly accepted: string;
  private readonly jwt: HeraldConfig['jwt'];
  private readonly nowMs: () => number;

  constructor(options: JwtAuthenticatorOptions) {
    const { jwt } = options;
    this.jwt = jwt;
    this.nowMs = options.nowMs ?? Date.now;
    if (jwt.secret === undefined && jwt.publicKey === undefined && jwt.jwksUrl === undefined) {
      throw new ConfigError([
        'jwt: issuer or audience is set but no key to verify tokens with; set HERALD_JWT_SECRET (HS256), HERALD_JWT_PUBLIC_KEY (PEM) or HERALD_JWKS_URL',
      ]);
    }
    this.secret = jwt.secret === undefined ? undefined : new TextEncoder().encode(jwt.secret);
    this.publicKey = jwt.publicKey === undefined ? undefined : parsePublicKey(jwt.publicKey);
    this.jwks =
      jwt.jwksUrl === undefined
        ? undefined
        : createRemoteJWKSet(new URL(jwt.jwksUrl), {
            timeoutDuration: options.jwks?.timeoutMs ?? 5_000,
            cooldownDuration: options.jwks?.cooldownMs ?? 30_000,
            cacheMaxAge: options.jwks?.maxAgeMs ?? 600_000,
          });
    this.algorithms = [
      ...new Set([...(this.secret ? ['HS256'] : []), ...(this.publicKey?.algorithms ?? []), ...(this.jwks ? JWKS_ALGORITHMS : [])]),
    ];
    this.accepted = this.jwks ? `${this.secret ? 'HS256 or ' : ''}RS/PS/ES/EdDSA keys from the JWKS` : this.algorithms.join(', ');
  }

  async authenticate(token: string): Promise<AuthResult | undefined> {
    if (!JWT_SHAPE.test(token)) return undefined;
    if (token.length > MAX_JWT_BYTES) return refuse(`the JWT is ${token.length} bytes; the limit is ${MAX_JWT_BYTES}`);
    const alg = headerAlgorithm(token);
    if (alg === undefined) return refuse('the JWT header is not valid base64url JSON with an "alg"');
    if (alg === 'none') return refuse('unsigned JWTs (alg "none") are refused');
    if (!this.algorithms.includes(alg)) return refuse(`the JWT is signed with ${printable(alg)}; this server accepts ${this.accepted}`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header, jws) => this.keyFor(header, jws), {
        algorithms: this.algorithms,
        clockTolerance: this.jwt.clockSkewS,
        currentDate: new Date(this.nowMs()),
        ...(this.jwt.issuer === undefined ? {} : { issuer: this.jwt.issuer }),
        ...(this.jwt.audience === undefined ? {} : { audience: this.jwt.audience }),
      }));
    } catch (error) {
      return this.describeFailure(error);
    }
    return identityFromClaims(payload);
  }

  /** Picks the key by algorithm: HS256 only ever meets the secret, asymmetric algorithms only public keys. */
  private keyFor(...[header, jws]: Parameters<JWTVerifyGetKey>) {
    const alg = header.alg ?? '';
    if (alg === 'HS256') {
      if (this.secret) return this.secret;
      throw new errors.JOSEAlgNotAllowed('no secret for HS256');
    }
    // With both a PEM and a JWKS, a token naming a kid is meant for the key set.
    const isForPublicKey = this.publicKey?.algorithms.includes(alg) === true && !(this.jwks && header.kid !== undefined);
    if (isForPublicKey && this.publicKey) return this.publicKey.key;
    if (this.jwks) return this.keyFromJwks(this.jwks, header, jws);
    throw new errors.JOSEAlgNotAllowed('no key for this algorithm');
  }

  /** Tells "no such kid" apart from "the key set could not be loaded" (network, HTTP status, timeout, bad JSON). */
  private async keyFromJwks(jwks: JWTVerifyGetKey, ...args: Parameters<JWTVerifyGetKey>) {
    try {
      return await jwks(...args);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new JwksUnavailableError('the JWKS could not be loaded', { cause: error });
    }
  }

  private describeFailure(error: unknown): Refusal {
    if (error instanceof errors.JWTExpired) {
      const exp = error.payload.exp;
      const at = typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'an unknown time';
      return { ok: false, code: 'token_expired', message: `the token expired at ${at}; get a fresh one` };
    }
    if (error instanceof errors.JWTClaimValidationFailed) return refuse(describeClaimFailure(error, this.jwt));
    if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('the JWT signature does not verify with the configured key');
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
      return refuse(`the JWT algorithm or key type is not accepted; this server accepts ${this.accepted}`);
    }
    if (error instanceof errors.JWKSNoMatchingKey) return refuse('no key in the JWKS matches the JWT "kid"; it may be revoked or not yet published');
    if (error instanceof errors.JWKSMultipleMatchingKeys) return refuse('several keys in the JWKS match the JWT; give it a "kid"');
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return refuse('the JWT is malformed (its header, payload or signature does not decode)');
    if (error instanceof JwksUnavailableError) return refuse('the server could not load its JWKS to verify the token; try again later');
    return refuse('the JWT could not be verified');
  }
}

function describeClaimFailure(error: InstanceType<typeof errors.JWTClaimValidationFailed>, jwt: HeraldConfig['jwt']): string {
  if (error.claim === 'iss') return `wrong issuer: expected "${jwt.issuer}"`;
  if (error.claim === 'aud') return `wrong audience: expected "${jwt.audience}"`;
  if (error.claim === 'nbf' && error.reason === 'check_failed') {
    const nbf = error.payload.nbf;
    return `the JWT is not valid yet (not before ${typeof nbf === 'number' ? new Date(nbf * 1000).toISOString() : '?'}); check the clocks`;
  }
  return `the JWT "${error.claim}" claim is invalid (${error.reason === 'missing' ? 'missing' : 'wrong type or value'})`;
}

/** Reads `alg` from the protected header without verifying anything; undefined when it does not decode. */
function headerAlgorithm(token: string): string | undefined {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

/** Attacker-chosen text that goes into a message: short and plain, else elided. */
function printable(text: string): string {
  return /^[A-Za-z0-9_-]{1,16}$/.test(text) ? `"${text}"` : 'an unknown algorithm';
}

/** Turns verified claims into an Identity, or explains which claim is wrong. */
export function identityFromClaims(claims: JWTPayload): AuthResult {
  const { sub, org, orgs, permissions, scope, exp } = claims as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return refuse('the JWT has no "sub" claim naming the user');
  if (org !== undefined && typeof org !== 'string') return refuse('the JWT "org" claim must be a string');
  if (orgs !== undefined && !isStringArray(orgs)) return refuse('the JWT "orgs" claim must be an array of strings');
  if (permissions !== undefined && !isStringArray(permissions)) return refuse('the JWT "permissions" claim must be an array of strings');
  if (permissions === undefined && scope !== undefined && typeof scope !== 'string') return refuse('the JWT "scope" claim must be a space-separated string');
  const granted = permissions ?? (typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);
  const identity: Identity = {
    id: sub,
    kind: 'jwt',
    orgs: Object.freeze([...new Set([...(org ? [org] : []), ...(orgs ?? [])])]),
    permissions: Object.freeze([...granted]),
  };
  if (org) identity.org = org;
  if (typeof exp === 'number') identity.expiresAtMs = exp * 1000;
  return { ok: true, identity };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Parses the configured PEM once, at start-up, and derives the algorithms its key type can verify. */
function parsePublicKey(pem: string): { key: KeyObject; algorithms: string[] } {
  const text = pem.includes('\\n') ? pem.replaceAll('\\n', '\n') : pem;
  const fix = 'give the PEM public key ("-----BEGIN PUBLIC KEY-----", SPKI), e.g. the output of "openssl pkey -in private.pem -pubout"';
  if (/PRIVATE KEY-----/.test(text)) throw new ConfigError([`jwt.publicKey (HERALD_JWT_PUBLIC_KEY) holds a private key; never give Herald the signing key: ${fix}`]);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new ConfigError([`jwt.publicKey (HERALD_JWT_PUBLIC_KEY) is not a readable PEM public key; ${fix}`]);
  }
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details?.modulusLength ?? 0) < 2048) {
        throw new ConfigError([`jwt.publicKey (HERALD_JWT_PUBLIC_KEY) is a ${details?.modulusLength}-bit RSA key; RS256 needs 2048 bits or more: generate a larger key pair`]);
      }
      return { key, algorithms: RSA_ALGORITHMS };
    case 'ec': {
      const alg = EC_ALGORITHMS[details?.namedCurve ?? ''];
      if (alg) return { key, algorithms: [alg] };
      break;
    }
    case 'ed25519':
      return { key, algorithms: ['EdDSA', 'Ed25519'] };
  }
  throw new ConfigError([
    `jwt.publicKey (HERALD_JWT_PUBLIC_KEY) is a ${key.asymmetricKeyType ?? 'unknown'} key; Herald verifies RSA (RS256), EC P-256/384/521 (ES256/384/512) and Ed25519 (EdDSA) keys`,
  ]);
}
