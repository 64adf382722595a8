import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_ADMIN_TOKEN } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/herald.ts', import.meta.url));
// tsx's loader in this very process: its CLI would run the code in a grandchild that outlives a killed parent.
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/**
 * `herald serve` in a child process on port 0, with the test admin token,
 * so a test can kill it with SIGKILL the way a crash would.
 */
export class HeraldProcess {
  output = '';
  httpUrl = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(env: Record<string, string>) {
    const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
    this.child = spawn(process.execPath, ['--import', TSX_LOADER, BIN, 'serve', '--port', '0'], {
      env: { ...base, HERALD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, HERALD_METRICS_EVENT_INTERVAL_MS: '0', HERALD_LIFECYCLE_EVENTS: 'false', HERALD_DASHBOARD: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts one and resolves once it listens. */
  static async start(env: Record<string, string>, timeoutMs = 20_000): Promise<HeraldProcess> {
    const herald = new HeraldProcess(env);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = /\{[^\n]*"msg":"herald is listening"[^\n]*\}/.exec(herald.output);
      if (line) {
        herald.httpUrl = (JSON.parse(line[0]) as { url: string }).url;
        return herald;
      }
      if (Date.now() > deadline || herald.child.exitCode !== null) {
        herald.kill();
        throw new Error(`herald did not start:\n${herald.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }
}
