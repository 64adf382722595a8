import type { Role } from '../dialects/dialect.js';
import { GROUP_COUNT } from '../load/payload.js';
import type { RoleRange } from './messages.js';

/** Expands a compact range into one role per subscriber. */
export function expandRoles(range: RoleRange): Role[] {
  return Array.from({ length: range.count }, (_, k) => {
    const index = range.firstIndex + k;
    const role: Role = { kind: 'subscriber', index };
    if (range.isGrouped) role.group = index % GROUP_COUNT;
    if (range.since !== undefined) role.since = range.since;
    return role;
  });
}
