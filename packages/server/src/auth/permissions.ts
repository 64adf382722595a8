import type { Identity } from './identity.js';
import { isAdmin } from './identity.js';

/** The verbs a permission grants, each followed by `:<pattern>`. */
export type PermissionVerb = 'subscribe' | 'publish' | 'history' | 'call';

/**
 * True when every type `requested` can match is also matched by `granted`.
 * Both use the subscription pattern language (`*`, trailing `.*`, inner `*`).
 */
export function patternCovers(granted: string, requested: string): boolean {
  if (granted === '*') return true;
  if (requested === '*') return false;
  const g = granted.split('.');
  const r = requested.split('.');
  const gDeep = g[g.length - 1] === '*';
  const rDeep = r[r.length - 1] === '*';
  for (let i = 0; i < g.length; i++) {
    const gs = g[i]!;
    const isLast = i === g.length - 1;
    if (isLast && gDeep) {
      // Granted `a.*` (any depth >= 1): the request must have at least one
      // more segment here; whatever follows is covered.
      return r.length > i;
    }
    const rs = r[i];
    if (rs === undefined) return false;
    const rIsDeepTail = rDeep && i === r.length - 1;
    if (rIsDeepTail) return false; // request reaches any depth, grant is bounded
    if (gs !== '*' && gs !== rs) return false;
  }
  return r.length === g.length;
}

/** The patterns an identity holds for a verb. */
export function grantedPatterns(identity: Identity, verb: PermissionVerb): string[] {
  const prefix = `${verb}:`;
  const out: string[] = [];
  for (const p of identity.permissions) if (p.startsWith(prefix)) out.push(p.slice(prefix.length));
  return out;
}

/** True when the identity may use `verb` on everything `pattern` matches. */
export function can(identity: Identity, verb: PermissionVerb, pattern: string): boolean {
  if (isAdmin(identity)) return true;
  for (const granted of grantedPatterns(identity, verb)) if (patternCovers(granted, pattern)) return true;
  return false;
}
