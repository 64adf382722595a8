/** Who is behind a connection or request, and what they may do. */
export interface Identity {
  /** The subject: a user id, an API key's name, `admin` or `anonymous`. */
  id: string;
  kind: 'admin' | 'api_key' | 'jwt' | 'anonymous';
  /** Current org (tenant); undefined for org-less identities. */
  org?: string;
  /** Orgs this identity may switch to with `context_switch`. */
  orgs: readonly string[];
  /** `subscribe:<pattern>`, `publish:<pattern>`, `history:<pattern>`, `call:<tool pattern>`, `admin`. */
  permissions: readonly string[];
  /** Expiry of the credential, ms since the epoch; undefined when it never expires. */
  expiresAtMs?: number;
}

export function isAdmin(identity: Identity): boolean {
  return identity.permissions.includes('admin');
}
