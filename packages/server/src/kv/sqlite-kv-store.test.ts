import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKvStoreContract } from './kv-store.contract.js';
import { SqliteKvStore } from './sqlite-kv-store.js';

describeKvStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-kv-'));
  const make = () => new SqliteKvStore({ path: join(dir, 'herald.db') });
  return { store: make(), reopen: make, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
