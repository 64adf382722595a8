import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { type HeraldHandle, startHerald } from '../src/herald.js';
import { TEST_ADMIN_TOKEN, TestClient, http } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

let agent: ChildProcess;
let agentUrl: string;
let herald: HeraldHandle;
let dataDir: string;

beforeAll(async () => {
  agent = spawn(process.execPath, [join(root, 'examples/echo-agent.mjs')], {
    env: { ...process.env, PORT: '0', WORD_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  agentUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the echo agent did not start: ${out}`)), 10_000);
    agent.stdout!.setEncoding('utf8');
    agent.stdout!.on('data', (text: string) => {
      out += text;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  dataDir = mkdtempSync(join(tmpdir(), 'herald-example-'));
  // The example config as a user runs it from the repository root; only the agent's port differs (it took a free one).
  const config = loadConfig({
    cwd: root,
    env: {},
    argvOverrides: { config: 'examples/herald.config.yaml', port: '0', dataDir, adminToken: TEST_ADMIN_TOKEN, logLevel: 'silent' },
  });
  herald = await startHerald(
    { ...config, dashboard: false, agents: { ...config.agents, backends: [{ ...config.agents.backends[0]!, url: agentUrl }] } },
    { logger: pino({ level: 'silent' }) },
  );
});
afterAll(async () => {
  await herald?.stop();
  agent?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the example echo agent with the example config', () => {
  it('answers wscat-style {"action":"sendMessage"} with chunks, then complete', async () => {
    const c = await TestClient.connect(herald.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    c.send('{"action":"sendMessage","message":"hello from wscat"}');
    await c.waitFor((m) => m.type === 'complete');
    const frames = c.messages.filter((m) => m.type !== 'connected');
    expect(frames.map((m) => m.type)).toEqual([...Array(frames.length - 1).fill('chunk'), 'complete']);
    expect(
      frames
        .filter((m) => m.type === 'chunk')
        .map((m) => m.content)
        .join(''),
    ).toBe('You said: hello from wscat');
    expect(frames.at(-1)).toMatchObject({ content: '', result: { content: 'You said: hello from wscat', result: { words: 5, turn: 1 } } });
    c.close();
  });

  it('lists the echo agent from the example definitions folder as available', async () => {
    const { body } = await http(herald, 'GET', '/api/agents');
    expect(body.agents).toEqual([expect.objectContaining({ name: 'echo', is_available: true, has_definition: true, backend: 'echo' })]);
  });
});
