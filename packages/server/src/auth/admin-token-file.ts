import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the file in the data folder that keeps the generated admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * Returns the configured admin token, else the one kept in
 * `<dataDir>/admin-token`, else generates one there (mode 0600), the way
 * Jupyter does on first start.
 */
export function resolveAdminToken(dataDir: string, configured: string | undefined): { token: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, generated: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `hld_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, generated: true };
}
