import { SignJWT } from 'jose';

/** What goes into a token minted by {@link mintToken}. */
export interface MintTokenOptions {
  /** HS256 secret, the same as the server's `HERALD_JWT_SECRET`; 32+ characters. */
  secret: string;
  /** The user id (`sub`). */
  sub: string;
  /** Current org (`org`); also added to `orgs`. */
  org?: string;
  /** Orgs the user may switch to (`orgs`). */
  orgs?: readonly string[];
  /** `subscribe:<pattern>`, `publish:<pattern>`, `history:<pattern>`, `call:<tool pattern>`, `admin`. */
  permissions: readonly string[];
  /** Lifetime, seconds; `exp` = now + ttlS. */
  ttlS: number;
  /** `iss`, when the server checks one. */
  issuer?: string;
  /** `aud`, when the server checks one. */
  audience?: string;
  /** Issue time, ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
}

/** Shortest secret accepted, characters: 256 bits, as the config schema requires for HS256. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Signs an HS256 JWT carrying Herald's claims, for development and tests
 * (`herald token`). Production tokens come from an identity provider.
 *
 * @throws Error when the secret is shorter than 32 characters, `sub` is empty or `ttlS` is not positive.
 * @example
 * const token = await mintToken({ secret, sub: 'ada', org: 'acme', permissions: ['subscribe:claude.*'], ttlS: 3600 });
 */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  if (options.secret.length < MIN_SECRET_LENGTH) throw new Error(`the secret must be at least ${MIN_SECRET_LENGTH} characters (256 bits) for HS256`);
  if (options.sub === '') throw new Error('sub must name the user');
  if (!(options.ttlS > 0)) throw new Error('ttlS must be a positive number of seconds');
  const iatS = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const orgs = [...new Set([...(options.org ? [options.org] : []), ...(options.orgs ?? [])])];
  const claims: Record<string, unknown> = { permissions: [...options.permissions] };
  if (options.org) claims.org = options.org;
  if (orgs.length > 0) claims.orgs = orgs;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(iatS)
    .setExpirationTime(iatS + Math.round(options.ttlS));
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
