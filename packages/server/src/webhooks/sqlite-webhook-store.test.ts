import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWebhookStoreContract } from './webhook-store.contract.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';

describeWebhookStoreContract('sqlite file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-webhooks-'));
  const file = path.join(dir, 'herald.db');
  return {
    store: new SqliteWebhookStore({ path: file }),
    reopen: () => new SqliteWebhookStore({ path: file }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
