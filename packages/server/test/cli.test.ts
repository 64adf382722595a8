import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/herald.ts', import.meta.url));
// tsx's loader in this very process: its CLI would run the code in a grandchild that outlives a killed parent.
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** A running `herald` process whose output is collected as it arrives. */
class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string> = {}, cwd = tmpdir()) {
    // A clean environment: no HERALD_* of the machine running the tests, no colours.
    const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
    this.child = spawn(process.execPath, ['--import', TSX_LOADER, BIN, ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves once stdout (or stderr) matches, failing after timeoutMs. */
  async waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this[stream].match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on ${stream}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }
}

const running: CliProcess[] = [];
const servers: TestServer[] = [];
const folders: string[] = [];

function herald(args: string[], env?: Record<string, string>, cwd?: string): CliProcess {
  const cli = new CliProcess(args, env, cwd);
  running.push(cli);
  return cli;
}

async function run(args: string[], env?: Record<string, string>, cwd?: string) {
  const cli = herald(args, env, cwd);
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(overrides);
  servers.push(s);
  return s;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-cli-'));
  folders.push(dir);
  return dir;
}

afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.signal('SIGKILL');
    await cli.exited;
  }
  for (const s of servers.splice(0)) await s.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const auth = { HERALD_TOKEN: TEST_ADMIN_TOKEN };

describe('herald CLI', () => {
  describe('--help', () => {
    it('lists the commands with examples', async () => {
      const { code, stdout } = await run(['--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/serve \[options\]/);
      expect(stdout).toMatch(/publish \[options\] <type>/);
      expect(stdout).toMatch(/tail \[options\] \[patterns\.\.\.\]/);
      expect(stdout).toContain('Examples:');
    });

    it('prints the environment table under serve --help', async () => {
      const { code, stdout } = await run(['serve', '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/--data-dir <value>/);
      expect(stdout).toMatch(/HERALD_LIMITS_MAX_PAYLOAD_BYTES\s+largest WebSocket frame or HTTP body, bytes \(default: 65536\)/);
    });

    it('documents the filter syntax under tail --help', async () => {
      const { stdout } = await run(['tail', '--help']);
      expect(stdout).toContain('key>=n');
      expect(stdout).toContain("--filter 'data.latency_ms>=500'");
    });
  });

  describe('serve', () => {
    it('logs where it listens as JSON when not on a terminal, and exits 0 on SIGINT', async () => {
      const dataDir = folder();
      const cli = herald(['serve', '--port', '0', '--data-dir', dataDir], { HERALD_METRICS_EVENT_INTERVAL_MS: '0', HERALD_DASHBOARD: 'false' });
      const [line] = await cli.waitFor(/\{[^\n]*"msg":"herald is listening"[^\n]*\}/);
      const logged = JSON.parse(line) as { url: string; ws_url: string; dashboard_url: string; store: string };
      expect(logged.ws_url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
      expect(logged.dashboard_url).toMatch(/#token=hld_/);
      expect(logged.store).toContain(dataDir);
      const health = await fetch(`${logged.url}/health`);
      expect(health.status).toBe(200);
      cli.signal('SIGINT');
      expect(await cli.exited).toBe(0);
    });

    it('lists every configuration problem and exits 2 without a stack trace', async () => {
      const { code, stderr } = await run(['serve', '--port', 'abc'], { HERALD_PROT: '1', HERALD_LIMITS_MAX_PAYLOAD_BYTES: '-1' });
      expect(code).toBe(2);
      expect(stderr).toContain('herald: the configuration has 3 problems:');
      expect(stderr).toContain('HERALD_PROT: unknown variable (did you mean HERALD_PORT?)');
      expect(stderr).toContain('--port "abc": must be a port number (0-65535)');
      expect(stderr).toContain('HERALD_LIMITS_MAX_PAYLOAD_BYTES="-1": must be greater than 0');
      expect(stderr).not.toMatch(/\n\s+at /);
    });

    it('names the cause and the fix when the port is taken, and exits 1', async () => {
      const s = await server();
      const { code, stderr } = await run(['serve', '--port', String(s.port), '--data-dir', folder()], { HERALD_METRICS_EVENT_INTERVAL_MS: '0' });
      expect(code).toBe(1);
      expect(stderr).toContain(`herald: port ${s.port} on 127.0.0.1 is already in use; stop the other process or pick another port with --port`);
    });
  });

  describe('publish', () => {
    it('prints the id and seq of the stored event', async () => {
      const s = await server();
      const { code, stdout } = await run(['publish', 'deploy.finished', '--url', s.httpUrl, '--data', '{"env":"prod"}', '--severity', 'warning', '--source', 'ci'], auth);
      expect(code).toBe(0);
      const [, id, seq] = /^published deploy\.finished id (\S+) seq (\d+)\n$/.exec(stdout) ?? [];
      const stored = await fetch(`${s.httpUrl}/api/events/${id}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(await stored.json()).toMatchObject({ id, seq: Number(seq), type: 'deploy.finished', severity: 'warning', source: 'ci', data: { env: 'prod' } });
    });

    it('uses the admin token the local server generated in its data dir', async () => {
      const s = await server({ adminToken: undefined });
      const { code, stdout } = await run(['publish', 'token.found', '--url', s.httpUrl], { HERALD_DATA_DIR: s.dataDir });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^published token\.found id/);
    });

    it('prints the server reply with --json', async () => {
      const s = await server();
      const { stdout } = await run(['publish', 'a.b', '--url', s.httpUrl, '--json', '--id', 'my-id-1'], auth);
      expect(JSON.parse(stdout)).toEqual({ ids: ['my-id-1'], seqs: [expect.any(Number)] });
    });

    it('prints the server error readably and exits 1', async () => {
      const s = await server();
      const { code, stderr } = await run(['publish', 'bad..type', '--url', s.httpUrl], auth);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^herald publish: the server refused the event: invalid_event: .*\(at type\)\n$/);
    });

    it('says the token was refused and where it came from', async () => {
      const s = await server();
      const { code, stderr } = await run(['publish', 'a', '--url', s.httpUrl, '--token', 'not-the-token-0123456789']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/unauthorized: .*the token from --token was refused/);
    });

    it('names the --data flag when it is not JSON, and exits 2', async () => {
      const { code, stderr } = await run(['publish', 'a', '--data', '{oops']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^herald publish: --data is not valid JSON \(/);
    });

    it('says when the server cannot be reached', async () => {
      const s = await server();
      const url = s.httpUrl;
      await s.close();
      servers.splice(servers.indexOf(s), 1);
      const { code, stderr } = await run(['publish', 'a', '--url', url], auth);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot reach ${url} (connection refused)`);
    });
  });

  describe('tail', () => {
    it('replays from --since, then prints live events as JSON lines', async () => {
      const s = await server();
      const [first] = (await s.publish([{ type: 'deploy.started', source: 'ci' }])).seqs;
      await s.publish([{ type: 'other.thing', source: 'ci' }]);
      const cli = herald(['tail', 'deploy.*', '--json', '--since', '0', '--url', s.httpUrl], auth);
      await cli.waitFor(/"type":"deploy\.started"/);
      await s.publish([{ type: 'deploy.finished', source: 'ci', data: { ok: true } }]);
      await cli.waitFor(/"type":"deploy\.finished"/);
      const events = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; seq: number });
      expect(events.map((e) => e.type)).toEqual(['deploy.started', 'deploy.finished']);
      expect(events[0]?.seq).toBe(first);
      cli.signal('SIGINT');
      expect(await cli.exited).toBe(0);
    });

    it('prints one line per event and applies --filter', async () => {
      const s = await server();
      await s.publish([
        { type: 'job.done', source: 'worker', severity: 'info', data: { n: 1 } },
        { type: 'job.failed', source: 'worker', severity: 'error', data: { n: 2, reason: 'disk full' } },
      ]);
      const cli = herald(['tail', '--since', '0', '--filter', 'severity=error,critical', '--filter', 'data.n>=2', '--url', s.httpUrl], auth);
      const [line] = await cli.waitFor(/^.*job\.failed.*$/m);
      expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR {4}job\.failed worker #\d+ n=2 reason="disk full"$/);
      expect(cli.stdout).not.toContain('job.done');
    });

    it('resumes after the server restarts without printing an event twice', async () => {
      const first = await server();
      const dataDir = first.dataDir;
      const port = first.port;
      await first.publish([{ type: 'r.one', source: 't' }]);
      const cli = herald(['tail', 'r.*', '--since', '0', '--json', '--url', first.httpUrl], auth);
      await cli.waitFor(/"type":"r\.one"/);
      await first.close({ keepData: true });
      servers.splice(servers.indexOf(first), 1);
      await cli.waitFor(/connection lost/, 'stderr');
      const second = await server({ dataDir, port });
      await second.publish([{ type: 'r.two', source: 't' }]);
      await cli.waitFor(/"type":"r\.two"/);
      const types = cli.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types).toEqual(['r.one', 'r.two']);
    });

    it('stops with a hint when the token is refused', async () => {
      const s = await server();
      const { code, stderr } = await run(['tail', '--url', s.httpUrl, '--token', 'not-the-token-0123456789']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^herald tail: authentication failed .*--token was refused/);
    });

    it('names a bad --filter and exits 2', async () => {
      const { code, stderr } = await run(['tail', '--filter', 'severity']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^herald tail: --filter "severity": write key=value/);
    });
  });
});
