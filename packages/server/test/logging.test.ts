import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.js';
import { startHerald } from '../src/herald.js';
import { TestClient, http } from './helpers.js';

describe('logs', () => {
  it('never contain a token, and carry request ids on HTTP lines', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'herald-log-'));
    const adminToken = 'secret-admin-token-that-must-not-leak';
    const apiKey = 'secret-api-key-that-must-not-leak';
    const config = configSchema.parse({ host: '127.0.0.1', port: 0, dataDir, adminToken, apiKeys: [`svc:${apiKey}`], logLevel: 'debug', metricsEventIntervalMs: 0 });
    const server = await startHerald(config, { logger: pino({ level: 'debug' }, sink) });
    try {
      await http(server, 'GET', `/api/events/history?token=${adminToken}`, undefined, { token: null });
      await http(server, 'POST', '/api/events', { type: 'log.x' }, { token: apiKey });
      await http(server, 'GET', '/api/metrics', undefined, { token: 'wrong-token-that-also-must-not-leak' });
      const c = await TestClient.connect(`${server.wsUrl}?token=${adminToken}`, { token: null });
      await c.waitFor((m) => m.type === 'connected');
      c.send({ action: 'auth', token: 'another-secret-that-must-not-leak' });
      await c.waitFor((m) => m.type === 'error');
      c.close();
      const bad = await TestClient.connect(server.wsUrl, { token: 'bad-secret-that-must-not-leak' });
      await bad.closed;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [adminToken, apiKey, 'wrong-token-that-also-must-not-leak', 'another-secret-that-must-not-leak', 'bad-secret-that-must-not-leak']) {
      expect(all).not.toContain(secret);
    }
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    for (const l of requestLines) expect(l.request_id ?? l.req?.id).toMatch(/^r_/);
  });
});
